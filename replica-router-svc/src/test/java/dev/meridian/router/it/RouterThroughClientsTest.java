package dev.meridian.router.it;

import dev.meridian.platform.flags.Flag;
import dev.meridian.platform.flags.RuntimeFlags;
import dev.meridian.router.admin.RoutingStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.copy.CopyManager;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.meridian.router.it.LocalPostgres.PRIMARY;
import static dev.meridian.router.it.LocalPostgres.REPLICA_1;
import static dev.meridian.router.it.LocalPostgres.REPLICA_2;
import static dev.meridian.router.it.LocalPostgres.ROUTER;
import static dev.meridian.router.it.LocalPostgres.scalar;
import static dev.meridian.router.it.LocalPostgres.serverPort;
import static dev.meridian.router.it.LocalPostgres.superuser;
import static dev.meridian.router.it.LocalPostgres.viaRouter;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router in front of the local primary and its two streaming replicas, driven by real
 * clients: pgjdbc, the Vert.x PG client, and raw sockets for what drivers never send.
 */
@QuarkusTest
class RouterThroughClientsTest {

    private static final Set<Integer> REPLICAS = Set.of(REPLICA_1, REPLICA_2);

    @Inject
    RoutingStatus status;

    @Inject
    RuntimeFlags flags;

    @Inject
    dev.meridian.router.proxy.RouterRuntime runtime;

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    @Inject
    dev.meridian.router.proxy.StandaloneRouters routers;

    @BeforeAll
    static void table() throws SQLException {
        try (Connection connection = superuser(PRIMARY); Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists router_it (id bigint primary key, note text)");
            statement.execute("grant all on router_it to meridian");
        }
    }

    @BeforeEach
    void everyBackendUp() {
        await().atMost(Duration.ofSeconds(60)).until(() -> status.snapshot().backends().stream().allMatch(b -> b.state().equals("up")));
    }

    /** Earlier tests' writes hold this role's reads on the primary until replicas replay them. */
    private static void awaitReadsOnReplicas() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Connection connection = viaRouter()) {
                assertTrue(REPLICAS.contains(serverPort(connection)));
            }
        });
    }

    @Test
    void readsOutsideATransactionGoToReplicas() throws SQLException {
        awaitReadsOnReplicas();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            try (Connection connection = viaRouter()) {
                seen.add(serverPort(connection));
            }
        }
        assertTrue(REPLICAS.containsAll(seen), "reads served by " + seen);
        assertEquals(REPLICAS, seen, "both replicas take reads");
    }

    @Test
    void writesGoToThePrimaryAndAreReadBackAtOnceFromANewSession() throws SQLException {
        for (int i = 0; i < 50; i++) {
            long id = System.nanoTime();
            try (Connection writer = viaRouter(); Statement statement = writer.createStatement()) {
                ResultSet rows = statement.executeQuery("insert into router_it values (" + id + ", 'ryw') returning inet_server_port()");
                rows.next();
                assertEquals(PRIMARY, rows.getInt(1));
            }
            try (Connection reader = viaRouter()) {
                assertEquals("ryw", scalar(reader, "select note from router_it where id = " + id), "read-your-writes, round " + i);
            }
        }
    }

    @Test
    void aTransactionStaysOnThePrimaryAndAReadOnlyOneRunsOnAReplica() throws SQLException {
        awaitReadsOnReplicas();
        try (Connection connection = viaRouter()) {
            connection.setAutoCommit(false);
            assertEquals(PRIMARY, serverPort(connection));
            String pid = scalar(connection, "select pg_backend_pid()");
            assertEquals(pid, scalar(connection, "select pg_backend_pid()"), "one backend for the whole transaction");
            connection.commit();

            connection.setReadOnly(true);
            int port = serverPort(connection);
            assertTrue(REPLICAS.contains(port), "BEGIN READ ONLY ran on " + port);
            connection.commit();
        }
    }

    @Test
    void aSimpleProtocolBeginIsDeferredAndSetTransactionReadOnlyMovesItToAReplica() throws SQLException {
        awaitReadsOnReplicas();
        try (Connection connection = viaRouter("&preferQueryMode=simple"); Statement statement = connection.createStatement()) {
            statement.execute("begin");
            statement.execute("set transaction read only");
            assertTrue(REPLICAS.contains(serverPort(connection)));
            statement.execute("commit");

            statement.execute("begin");
            assertEquals(PRIMARY, serverPort(connection));
            statement.execute("rollback");

            statement.execute("begin");
            statement.execute("commit");
        }
    }

    @Test
    void commitAndChainRightAfterADeferredBeginLeavesATransactionOpen() throws Exception {
        try (RawClient client = new RawClient(ROUTER)) {
            client.login("meridian", "meridian");
            assertEquals('T', statusAfter(client, "BEGIN ISOLATION LEVEL REPEATABLE READ"));
            assertEquals('T', statusAfter(client, "COMMIT AND CHAIN"), "as PostgreSQL: the chained transaction is open");
            assertEquals('T', statusAfter(client, "SELECT 1"));
            assertEquals('I', statusAfter(client, "COMMIT"));
            assertEquals('T', statusAfter(client, "BEGIN"));
            assertEquals('I', statusAfter(client, "COMMIT AND NO CHAIN"));
        }
    }

    /** Sends a simple query and returns the transaction status of the ReadyForQuery that ends its reply. */
    private static char statusAfter(RawClient client, String sql) throws java.io.IOException {
        client.query(sql);
        RawClient.Reply reply;
        do {
            reply = client.read();
            if (reply.type() == 'E') {
                throw new AssertionError(sql + ": " + reply.field('M'));
            }
        } while (reply.type() != 'Z');
        return (char) reply.body()[0];
    }

    @Test
    void aClientResettingItsSettingsLeavesNoOtherClientWithWrongOnes() throws Exception {
        // Clients with the same startup settings share connections set up for them; one that resets
        // them (RESET ALL, DISCARD ALL, RESET x) must not hand its connection on as if still set up.
        java.util.Map<String, String> startup = java.util.Map.of("search_path", "router_reset_schema, public", "extra_float_digits", "3");
        for (String reset : List.of("RESET ALL", "DISCARD ALL", "RESET search_path", "RESET extra_float_digits",
                "SELECT set_config('search_path', 'elsewhere', false)")) {
            for (int round = 0; round < 3; round++) {
                // Three clients a round: the router's event loops take connections in turn, so one of the
                // later two shares the resetting client's loop, and with it its pool.
                try (RawClient resetting = new RawClient(ROUTER)) {
                    resetting.login("meridian", "meridian", startup);
                    assertEquals('I', statusAfter(resetting, "/* meridian:primary */ SELECT 1"));
                    assertEquals('I', statusAfter(resetting, reset));
                }
                for (int other = 0; other < 2; other++) {
                    try (RawClient next = new RawClient(ROUTER)) {
                        next.login("meridian", "meridian", startup);
                        assertEquals("router_reset_schema, public|3", firstValue(next,
                                "/* meridian:primary */ SELECT current_setting('search_path') || '|' || current_setting('extra_float_digits')"),
                                "after " + reset);
                    }
                }
            }
        }
    }

    @Test
    void aClientDiscardingAllKeepsItsReadsOnReplicasWithTheServersSettings() throws Exception {
        // Pools that run DISCARD ALL when a connection comes back must not lose read splitting for it.
        java.util.Map<String, String> startup = java.util.Map.of("search_path", "router_reset_schema, public", "TimeZone", "Asia/Tokyo");
        try (RawClient client = new RawClient(ROUTER)) {
            client.login("meridian", "meridian", startup);
            assertEquals("router_reset_schema, public", firstValue(client, "SELECT current_setting('search_path')"));
            assertEquals('I', statusAfter(client, "DISCARD ALL"));
            String serverZone;
            try (RawClient plain = new RawClient(ROUTER)) {
                plain.login("meridian", "meridian");
                serverZone = firstValue(plain, "SELECT current_setting('TimeZone')");
            }
            assertNotEquals("Asia/Tokyo", serverZone);
            for (int i = 0; i < 5; i++) {
                assertTrue(REPLICAS.contains(Integer.parseInt(firstValue(client, "SELECT inet_server_port()"))), "not pinned");
                // As through PgBouncer: the server's settings, whichever connection serves it.
                assertEquals("\"$user\", public|" + serverZone,
                        firstValue(client, "SELECT current_setting('search_path') || '|' || current_setting('TimeZone')"));
            }
        }
    }

    /** The first column of the first row of a simple query's reply. */
    private static String firstValue(RawClient client, String sql) throws java.io.IOException {
        client.query(sql);
        return answer(client, sql).value();
    }

    /** A simple query's reply: its first row's first column, and the transaction status it ends with. */
    private record Answer(String value, char status) {
    }

    private static Answer answer(RawClient client, String sql) throws java.io.IOException {
        String value = null;
        RawClient.Reply reply;
        do {
            reply = client.read();
            if (reply.type() == 'E') {
                throw new AssertionError(sql + ": " + reply.field('M'));
            }
            if (reply.type() == 'D' && value == null) {
                ByteBuffer row = ByteBuffer.wrap(reply.body());
                row.getShort();
                byte[] bytes = new byte[row.getInt()];
                row.get(bytes);
                value = new String(bytes, StandardCharsets.UTF_8);
            }
        } while (reply.type() != 'Z');
        return new Answer(value, (char) reply.body()[0]);
    }

    @Test
    void namedPreparedStatementsWorkAcrossPooledBackends() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int client = 0; client < 6; client++) {
                results.add(pool.submit(() -> {
                    int checked = 0;
                    try (Connection connection = viaRouter("&prepareThreshold=1");
                         PreparedStatement select = connection.prepareStatement("select ?::int * 2, inet_server_port()")) {
                        for (int i = 0; i < 200; i++) {
                            select.setInt(1, i);
                            try (ResultSet rows = select.executeQuery()) {
                                rows.next();
                                assertEquals(i * 2, rows.getInt(1));
                                checked++;
                            }
                        }
                    }
                    return checked;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(200, result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aServerConnectionKeepsOnlyTheMostRecentlyUsedPreparedStatements() throws SQLException {
        // The test router keeps 5 per server connection (application.properties); in one transaction
        // every statement runs on the same backend, so that backend's own list can be read.
        try (Connection connection = viaRouter("&prepareThreshold=1")) {
            connection.setAutoCommit(false);
            for (int i = 0; i < 30; i++) {
                try (PreparedStatement distinct = connection.prepareStatement("select ?::int + " + i)) {
                    for (int run = 0; run < 2; run++) {
                        distinct.setInt(1, run);
                        try (ResultSet rows = distinct.executeQuery()) {
                            rows.next();
                            assertEquals(run + i, rows.getInt(1));
                        }
                    }
                }
            }
            // pgjdbc prepares the inspecting query too (prepareThreshold=1), so it may be one of the five.
            List<String> kept = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("select statement from pg_prepared_statements where name like 'meridian%'")) {
                while (rows.next()) {
                    kept.add(rows.getString(1));
                }
            }
            assertEquals(5, kept.size(), kept.toString());
            List<String> selects = kept.stream().filter(text -> text.startsWith("select $1::int + ")).sorted().toList();
            List<String> latest = java.util.stream.IntStream.range(30 - selects.size(), 30).mapToObj(i -> "select $1::int + " + i).toList();
            assertEquals(latest, selects, "the most recently used are kept, in this backend and in the router's list alike");
            assertTrue(selects.size() >= 4, kept.toString());
            connection.commit();
        }
    }

    @Test
    void theVertxReactiveClientWorksThroughTheRouter() throws Exception {
        Vertx vertx = Vertx.vertx();
        Pool client = PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
                .connectingTo(new PgConnectOptions().setPort(ROUTER).setHost("127.0.0.1").setDatabase("meridian")
                        .setUser("meridian").setPassword("meridian").setCachePreparedStatements(true))
                .using(vertx).build();
        try {
            for (int i = 0; i < 20; i++) {
                Row row = client.preparedQuery("select $1::int + 1, inet_server_port()").execute(Tuple.of(i))
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next();
                assertEquals(i + 1, row.getInteger(0));
                assertTrue(REPLICAS.contains(row.getInteger(1)));
            }
            long id = System.nanoTime();
            Integer port = client.withTransaction(connection -> connection
                    .preparedQuery("insert into router_it values ($1, 'vertx') returning inet_server_port()").execute(Tuple.of(id))
                    .map(rows -> rows.iterator().next().getInteger(0)))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(PRIMARY, port);
        } finally {
            client.close();
            vertx.close();
        }
    }

    @Test
    void cancelReachesTheBackendRunningTheQuery() throws Exception {
        try (Connection connection = viaRouter(); Statement statement = connection.createStatement()) {
            ExecutorService canceller = Executors.newSingleThreadExecutor();
            try {
                canceller.submit(() -> {
                    Thread.sleep(700);
                    statement.cancel();
                    return null;
                });
                long started = System.nanoTime();
                SQLException error = assertThrows(SQLException.class, () -> statement.execute("select pg_sleep(30)"));
                assertEquals("57014", error.getSQLState());
                assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(20));
            } finally {
                canceller.shutdownNow();
            }
            assertEquals("1", scalar(connection, "select 1"), "the session goes on after the cancel");
        }
    }

    @Test
    void copyInAndOutPassThrough() throws Exception {
        long base = System.nanoTime();
        try (Connection connection = viaRouter()) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder rows = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                rows.append(base + i).append('\t').append("copied ").append(i).append('\n');
            }
            assertEquals(1000, copy.copyIn("copy router_it from stdin", new StringReader(rows.toString())));
            StringWriter out = new StringWriter();
            copy.copyOut("copy (select id, note from router_it where id >= " + base + " and id < " + (base + 1000)
                    + " order by id) to stdout", out);
            assertEquals(rows.toString(), out.toString());
        }
    }

    @Test
    void listenPinsTheSessionAndNotificationsArrive() throws Exception {
        try (Connection listener = viaRouter(); Connection notifier = viaRouter()) {
            try (Statement statement = listener.createStatement()) {
                statement.execute("listen router_it_channel");
            }
            try (Statement statement = notifier.createStatement()) {
                statement.execute("notify router_it_channel, 'hello'");
            }
            PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(10_000);
            assertNotNull(notifications);
            assertEquals("hello", notifications[0].getParameter());
            assertEquals(PRIMARY, serverPort(listener), "a listening session stays on the primary");
        }
    }

    @Test
    void deallocateAllAndDiscardAllLeaveTheRoutersPreparedStatementsInStep() throws SQLException {
        try (Connection connection = viaRouter("&prepareThreshold=1")) {
            // In a transaction everything runs on one backend: the one DEALLOCATE ALL empties.
            connection.setAutoCommit(false);
            try (PreparedStatement doubled = connection.prepareStatement("select ?::int * 2");
                 Statement statement = connection.createStatement()) {
                String backend = scalar(connection, "select pg_backend_pid()");
                for (int round = 0; round < 3; round++) {
                    for (int run = 0; run < 3; run++) {
                        doubled.setInt(1, run);
                        try (ResultSet rows = doubled.executeQuery()) {
                            rows.next();
                            assertEquals(run * 2, rows.getInt(1));
                        }
                    }
                    statement.execute("DEALLOCATE ALL");
                    // pgjdbc prepares this inspecting query too: count the other one only.
                    assertEquals("0", scalar(connection, "select count(*) from pg_prepared_statements where statement = 'select $1::int * 2'"),
                            "the backend's statements are gone; pgjdbc prepares its own again after the tag, and the router must too");
                }
                assertEquals(backend, scalar(connection, "select pg_backend_pid()"));
                connection.commit();
            }
            // Outside one, DISCARD ALL empties whichever primary connection it lands on; the next
            // statements may land there (the pool hands out the most recently returned first).
            connection.setAutoCommit(true);
            try (PreparedStatement onPrimary = connection.prepareStatement("/* meridian:primary */ select ?::int + 1");
                 Statement statement = connection.createStatement()) {
                for (int round = 0; round < 3; round++) {
                    for (int run = 0; run < 3; run++) {
                        onPrimary.setInt(1, run);
                        try (ResultSet rows = onPrimary.executeQuery()) {
                            rows.next();
                            assertEquals(run + 1, rows.getInt(1));
                        }
                    }
                    statement.execute("DISCARD ALL");
                }
            }
        }
    }

    @Test
    void aTableMadeInPgTempByNamePinsTheClientLikeATemporaryTable() throws SQLException {
        try (Connection connection = viaRouter(); Statement statement = connection.createStatement()) {
            statement.execute("create table pg_temp.scratch_by_name (x int)");
            statement.execute("insert into pg_temp.scratch_by_name values (7)");
            for (int i = 0; i < 5; i++) {
                assertEquals("7", scalar(connection, "select x from pg_temp.scratch_by_name"));
            }
        }
    }

    @Test
    void pgjdbcsReadOnlyModeAlwaysIsCarriedNotPinned() throws SQLException {
        awaitReadsOnReplicas();
        // readOnlyMode=always: setReadOnly sends SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY / READ WRITE.
        try (Connection connection = viaRouter("&readOnlyMode=always")) {
            connection.setReadOnly(true);
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                assertEquals("on", scalar(connection, "show default_transaction_read_only"), "carried to every connection it uses");
                seen.add(serverPort(connection));
            }
            assertTrue(REPLICAS.containsAll(seen), "its reads still go to replicas: " + seen);
            SQLException refused = assertThrows(SQLException.class, () -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("create table router_read_only_probe (x int)");
                }
            });
            assertEquals("25006", refused.getSQLState(), "read-only on the primary too");
            connection.setReadOnly(false);
            assertEquals("off", scalar(connection, "/* meridian:primary */ show default_transaction_read_only"));
            assertEquals("off", scalar(connection, "show default_transaction_read_only"));
        }
        try (Connection next = viaRouter()) {
            for (int i = 0; i < 4; i++) {
                assertEquals("off", scalar(next, "show default_transaction_read_only"), "connections it used come back read-write");
            }
        }
    }

    @Test
    void transactionsOfAReadOnlySessionRunOnReplicas() throws SQLException {
        // readOnlyMode=always with autocommit off: read-only by default, then a plain BEGIN per transaction
        // (Spring's @Transactional(readOnly = true) in that mode).
        try (Connection connection = viaRouter("&readOnlyMode=always")) {
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                seen.add(serverPort(connection));
                assertEquals("on", scalar(connection, "show transaction_read_only"));
                connection.commit();
            }
            assertTrue(REPLICAS.containsAll(seen), "read-only transactions on replicas: " + seen);
            assertTrue(REPLICAS.contains(serverPort(connection)));
            SQLException refused = assertThrows(SQLException.class, () -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("create table router_read_only_probe (x int)");
                }
            });
            assertEquals("25006", refused.getSQLState(), "as the primary refuses it in a read-only transaction");
            connection.rollback();
            connection.setReadOnly(false);
            assertEquals(PRIMARY, serverPort(connection), "read-write transactions on the primary again");
            connection.commit();
        }
    }

    @Test
    void aPlainBeginFollowsTheSessionsDefaultAccessMode() throws Exception {
        try (RawClient client = new RawClient(ROUTER)) {
            client.login("meridian", "meridian");
            assertEquals('I', statusAfter(client, "SET default_transaction_read_only = on"));
            for (int i = 0; i < 4; i++) {
                assertEquals('T', statusAfter(client, "BEGIN"));
                assertTrue(REPLICAS.contains(Integer.parseInt(firstValue(client, "SELECT inet_server_port()"))), "a read-only transaction");
                assertEquals('I', statusAfter(client, "COMMIT"));
            }
            // The transaction's own modes win over the session's default.
            assertEquals('T', statusAfter(client, "BEGIN READ WRITE"));
            assertEquals(String.valueOf(PRIMARY), firstValue(client, "SELECT inet_server_port()"));
            assertEquals('I', statusAfter(client, "COMMIT"));
            assertEquals('T', statusAfter(client, "BEGIN"));
            assertEquals(String.valueOf(PRIMARY), firstValue(client, "/* meridian:primary */ SELECT inet_server_port()"));
            assertEquals('I', statusAfter(client, "COMMIT"));
            assertEquals('I', statusAfter(client, "SET default_transaction_read_only = off"));
            assertEquals('T', statusAfter(client, "BEGIN"));
            assertEquals(String.valueOf(PRIMARY), firstValue(client, "SELECT inet_server_port()"), "read-write by default again");
            assertEquals('I', statusAfter(client, "COMMIT"));
        }
    }

    @Test
    void transactionsOfARoleThatIsReadOnlyByDefaultRunOnReplicas() throws Exception {
        // ALTER ROLE … SET default_transaction_read_only = on: a reporting role's usual setup.
        String role = "router_reporting_role";
        java.nio.file.Path userlist = java.nio.file.Files.createTempFile("meridian-userlist-", ".txt");
        try (Connection direct = superuser(PRIMARY); Statement statement = direct.createStatement()) {
            statement.execute("DROP ROLE IF EXISTS " + role);
            statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'reports'");
            statement.execute("ALTER ROLE " + role + " SET default_transaction_read_only = on");
        }
        try {
            java.nio.file.Files.writeString(userlist, "\"" + role + "\" \"reports\"\n");
            try (dev.meridian.router.proxy.StandaloneRouter router = routers.startWithUserlist(16439, userlist);
                 Connection client = LocalPostgres.connect("jdbc:postgresql://127.0.0.1:16439/meridian", role, "reports")) {
                client.setAutoCommit(false);
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < 6; i++) {
                    seen.add(serverPort(client));
                    client.commit();
                }
                assertTrue(REPLICAS.containsAll(seen), "its plain BEGIN starts read-only transactions: " + seen);
            }
        } finally {
            java.nio.file.Files.deleteIfExists(userlist);
            for (int port : new int[] {PRIMARY, REPLICA_1, REPLICA_2}) {
                try (Connection direct = superuser(port)) {
                    scalar(direct, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = '" + role + "'");
                }
            }
            try (Connection direct = superuser(PRIMARY); Statement statement = direct.createStatement()) {
                statement.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    @Test
    void aReadOnlyTransactionWhoseReplicaDiesBeforeAnsweringGoesOnElsewhere() throws Exception {
        String marker = "retried_in_transaction_" + System.nanoTime();
        try (RawClient client = new RawClient(ROUTER)) {
            client.login("meridian", "meridian");
            assertEquals('I', statusAfter(client, "SET default_transaction_read_only = on"));
            assertEquals('T', statusAfter(client, "BEGIN"));
            // The BEGIN is deferred: it reaches a replica with this statement, whose backend is terminated mid-query.
            String sql = "SELECT inet_server_port(), pg_sleep(1), '" + marker + "'";
            client.query(sql);
            int terminated = await().atMost(Duration.ofSeconds(10)).until(() -> terminateRunning(marker), port -> port != 0);
            Answer answer = answer(client, sql);
            assertEquals('T', answer.status(), "still in the transaction: the BEGIN went to the next replica too");
            int answeredBy = Integer.parseInt(answer.value());
            assertTrue(REPLICAS.contains(answeredBy) && answeredBy != terminated, "answered by the other replica: " + answeredBy);
            assertEquals("on", firstValue(client, "SHOW transaction_read_only"));
            assertEquals('I', statusAfter(client, "COMMIT"));
        }
    }

    /** Terminates the backend running a statement containing {@code marker} on a replica; its port, or 0 when none runs yet. */
    private static int terminateRunning(String marker) throws SQLException {
        for (int port : new int[] {REPLICA_1, REPLICA_2}) {
            try (Connection direct = superuser(port)) {
                String found = scalar(direct, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%"
                        + marker + "''%' AND pid <> pg_backend_pid()");
                if (!found.equals("0")) {
                    return port;
                }
            }
        }
        return 0;
    }

    @Test
    void aSetBetweenTransactionsIsCarriedToEveryBackendTheClientUses() throws Exception {
        // Rails sets client_min_messages, apps set statement_timeout, row-level security a tenant: none pins any more.
        try (RawClient client = new RawClient(ROUTER); RawClient bystander = new RawClient(ROUTER)) {
            client.login("meridian", "meridian");
            bystander.login("meridian", "meridian");
            assertEquals('I', statusAfter(client, "SET statement_timeout = '1234ms'"));
            assertEquals('I', statusAfter(client, "set client_min_messages to warning"));
            Set<Integer> seen = readsOfTimeoutAndMessages(client, "1234ms warning",
                    () -> assertEquals("0", firstValue(bystander, "SELECT current_setting('statement_timeout')"), "another client's setting"));
            assertTrue(REPLICAS.containsAll(seen), "not pinned: " + seen);
            // RESET undoes a carried SET, pinning no more than the SET did: the server's default on every backend.
            assertEquals('I', statusAfter(client, "RESET statement_timeout"));
            assertEquals('I', statusAfter(client, "SET client_min_messages TO DEFAULT"));
            Set<Integer> afterReset = readsOfTimeoutAndMessages(client, "0 notice", () -> { });
            assertTrue(REPLICAS.containsAll(afterReset), () -> "not pinned: " + afterReset + " " + status.snapshot().backends());
            assertEquals('I', statusAfter(client, "SET statement_timeout = '1234ms'"));
            assertEquals('I', statusAfter(client, "set client_min_messages to warning"));
            assertEquals("1234ms", firstValue(client, "/* meridian:primary */ SELECT current_setting('statement_timeout')"));
            client.query("SET statement_timeout = 'soon'");
            assertEquals("22023", client.readUntilError().field('C'));
            while (client.read().type() != 'Z') {
                // up to its ReadyForQuery
            }
            assertEquals("1234ms", firstValue(client, "SELECT current_setting('statement_timeout')"), "a refused SET changes nothing");
            assertEquals('I', statusAfter(client, "DISCARD ALL"));
            for (int i = 0; i < 4; i++) {
                assertEquals("0", firstValue(client, "SELECT current_setting('statement_timeout')"), "gone with DISCARD ALL");
            }
            // A hot standby runs nothing for a session whose transactions are serializable: that SET pins to the primary.
            assertEquals('I', statusAfter(client, "SET default_transaction_isolation = 'serializable'"));
            for (int i = 0; i < 4; i++) {
                assertEquals(String.valueOf(PRIMARY), firstValue(client, "SELECT inet_server_port()"));
            }
        }
    }

    interface Check {
        void run() throws Exception;
    }

    /** Ten reads of the client's statement_timeout and client_min_messages, each followed by {@code check}: the ports that served them. */
    private static Set<Integer> readsOfTimeoutAndMessages(RawClient client, String expected, Check check) throws Exception {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            String[] answer = firstValue(client, "SELECT current_setting('statement_timeout') || ' ' || current_setting('client_min_messages')"
                    + " || ' ' || inet_server_port()").split(" ");
            assertEquals(expected, answer[0] + " " + answer[1], "on port " + answer[2]);
            ports.add(Integer.parseInt(answer[2]));
            check.run();
        }
        return ports;
    }

    @Test
    void aCustomSettingSetThroughPgjdbcFollowsTheClient() throws SQLException {
        try (Connection connection = viaRouter(); Connection other = viaRouter()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET app.tenant_id = '42'");
            }
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 10; i++) {
                try (PreparedStatement select = connection.prepareStatement("select current_setting('app.tenant_id', true), inet_server_port()");
                     ResultSet rows = select.executeQuery()) {
                    rows.next();
                    assertEquals("42", rows.getString(1));
                    seen.add(rows.getInt(2));
                }
                String leaked = scalar(other, "select coalesce(current_setting('app.tenant_id', true), '')");
                assertEquals("", leaked, "never on another client's statements");
            }
            assertTrue(REPLICAS.containsAll(seen), "not pinned: " + seen);
        }
    }

    @Test
    void pgjdbcsTransactionIsolationIsCarriedNotPinned() throws SQLException {
        // setTransactionIsolation sends SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL …
        try (Connection connection = viaRouter(); Connection other = viaRouter()) {
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 8; i++) {
                assertEquals("repeatable read", scalar(connection, "show transaction_isolation"));
                seen.add(serverPort(connection));
                assertEquals("read committed", scalar(other, "show transaction_isolation"), "not another client's");
            }
            assertTrue(REPLICAS.containsAll(seen), "not pinned: " + seen);
            connection.setAutoCommit(false);
            assertEquals("repeatable read", scalar(connection, "show transaction_isolation"), "its transactions too");
            connection.commit();
            connection.setAutoCommit(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            for (int i = 0; i < 4; i++) {
                assertEquals("read committed", scalar(connection, "show transaction_isolation"));
            }
        }
    }

    @Test
    void aSetWhoseOutcomeTheRouterCannotTellPinsTheClient() throws Exception {
        // In a transaction it lasts only if that commits; in a batch that then fails it is rolled back.
        try (Connection connection = viaRouter()) {
            assertThrows(SQLException.class, () -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET work_mem = '7MB'; SELECT 1/0");
                }
            });
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                assertEquals("4MB", scalar(connection, "select current_setting('work_mem')"), "rolled back with its batch");
                seen.add(serverPort(connection));
            }
            assertEquals(1, seen.size(), "pinned to the backend it ran on: " + seen);
        }
        try (RawClient client = new RawClient(ROUTER)) {
            client.login("meridian", "meridian");
            assertEquals('T', statusAfter(client, "BEGIN"));
            assertEquals('T', statusAfter(client, "SET work_mem = '6MB'"));
            assertEquals('I', statusAfter(client, "COMMIT"));
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                assertEquals("6MB", firstValue(client, "SELECT current_setting('work_mem')"));
                seen.add(Integer.parseInt(firstValue(client, "SELECT inet_server_port()")));
            }
            assertEquals(Set.of(PRIMARY), seen, "pinned where its transaction ran");
        }
    }

    @Test
    void aSerializableReadOnlyTransactionRunsOnThePrimary() throws Exception {
        // A hot standby refuses it ("cannot use serializable mode in a hot standby"); PostgreSQL itself runs it.
        try (RawClient client = new RawClient(ROUTER)) {
            client.login("meridian", "meridian");
            assertEquals('T', statusAfter(client, "BEGIN READ ONLY ISOLATION LEVEL SERIALIZABLE"));
            assertEquals(String.valueOf(PRIMARY), firstValue(client, "SELECT inet_server_port()"));
            assertEquals("serializable", firstValue(client, "SHOW transaction_isolation"));
            assertEquals('I', statusAfter(client, "COMMIT"));
            assertEquals('T', statusAfter(client, "BEGIN"));
            assertEquals('T', statusAfter(client, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE READ ONLY"));
            assertEquals(String.valueOf(PRIMARY), firstValue(client, "SELECT inet_server_port()"));
            assertEquals('I', statusAfter(client, "COMMIT"));
        }
    }

    @Test
    void anSqlPrepareStatementPinsTheClientToItsBackend() throws SQLException {
        try (Connection connection = viaRouter(); Statement statement = connection.createStatement()) {
            statement.execute("PREPARE tripled (int) AS SELECT $1 * 3");
            for (int i = 0; i < 10; i++) {
                assertEquals(String.valueOf(i * 3), scalar(connection, "EXECUTE tripled(" + i + ")"));
                assertEquals(PRIMARY, serverPort(connection), "its session holds the statement: everything goes there");
            }
        }
    }

    @Test
    void aClientLeavingMidQueryHasItsQueryCancelledOnTheBackend() throws Exception {
        String marker = "left_mid_query_" + System.nanoTime();
        try (RawClient client = new RawClient(ROUTER)) {
            client.login("meridian", "meridian");
            client.query("SELECT pg_sleep(60), '" + marker + "'");
            await().atMost(Duration.ofSeconds(10)).until(() -> running(marker) == 1);
        }
        // Left alone, the backend would sleep its full minute: it notices a closed socket only when it has a reply to send.
        await().atMost(Duration.ofSeconds(10)).until(() -> running(marker) == 0);
    }

    /**
     * A client that leaves with replies still coming: the router's writes to it fail, which made it
     * stop reading the server connection as if the client were slow, and the connection went back
     * to the pool that way; the next client on it waited for ever.
     */
    @Test
    void aClientLeavingWithRepliesUnreadLeavesNoServerConnectionDeafToTheNext() throws Exception {
        ByteBuffer one = dev.meridian.router.wire.FrontendMessages.query("/* meridian:primary */ SELECT 1");
        ByteBuffer all = ByteBuffer.allocate(one.remaining() * 20);
        for (int i = 0; i < 20; i++) {
            all.put(one.duplicate());
        }
        byte[] queries = all.array();
        for (int round = 0; round < 30; round++) {
            try (RawClient leaving = new RawClient(ROUTER)) {
                leaving.login("meridian", "meridian");
                leaving.send(queries);
                leaving.read();
            }
            try (Connection next = viaRouter(); Statement statement = next.createStatement()) {
                statement.setQueryTimeout(5);
                ResultSet result = statement.executeQuery("/* meridian:primary */ SELECT " + round);
                result.next();
                assertEquals(round, result.getInt(1), "round " + round);
            }
        }
    }

    /** Backends on any server running a statement that contains {@code marker}. */
    private static int running(String marker) throws SQLException {
        int total = 0;
        for (int port : new int[] {PRIMARY, REPLICA_1, REPLICA_2}) {
            try (Connection direct = superuser(port)) {
                total += Integer.parseInt(scalar(direct, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%"
                        + marker + "''%' AND pid <> pg_backend_pid()"));
            }
        }
        return total;
    }

    @Test
    void questionsAboutTheServersRoleAreAnsweredByTheWriter() throws SQLException {
        // The router logs clients in as the writer's (in_hot_standby off); asking again must say the same.
        try (Connection connection = viaRouter("&targetServerType=primary")) {
            for (int i = 0; i < 5; i++) {
                assertEquals("off", scalar(connection, "show transaction_read_only"));
                assertEquals("off", scalar(connection, "SHOW in_hot_standby"));
                assertEquals("f", scalar(connection, "select pg_is_in_recovery()"));
                assertTrue(REPLICAS.contains(serverPort(connection)), "other reads still go to replicas");
            }
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            assertEquals("on", scalar(connection, "show transaction_read_only"), "inside a read-only transaction, on its replica");
            connection.commit();
        }
    }

    @Test
    void sessionSettingsPinTheClientToOneBackend() throws SQLException {
        try (Connection connection = viaRouter(); Statement statement = connection.createStatement()) {
            statement.execute("set application_name = 'pinned-client'");
            for (int i = 0; i < 10; i++) {
                assertEquals("pinned-client", scalar(connection, "show application_name"));
            }
        }
        try (Connection other = viaRouter("&ApplicationName=fresh")) {
            assertEquals("fresh", scalar(other, "show application_name"), "a reused connection carries the new client's settings");
        }
    }

    @Test
    void wrongPasswordsAndUnknownRolesFailWith28P01() {
        SQLException wrong = assertThrows(SQLException.class, () ->
                LocalPostgres.connect("jdbc:postgresql://127.0.0.1:" + ROUTER + "/meridian", "meridian", "not-it"));
        assertEquals("28P01", wrong.getSQLState());
        SQLException unknown = assertThrows(SQLException.class, () ->
                LocalPostgres.connect("jdbc:postgresql://127.0.0.1:" + ROUTER + "/meridian", "nobody_here", "x"));
        assertEquals("28P01", unknown.getSQLState());
    }

    @Test
    void aRoleFoundByTheAuthQueryLogsInWithItsScramKeysPassedThrough() throws SQLException {
        // given: a role only PostgreSQL knows (not in the userlist); the router has its verifier, never its password
        try (Connection admin = superuser(PRIMARY); Statement statement = admin.createStatement()) {
            statement.execute("drop role if exists router_it_lookup");
            statement.execute("create role router_it_lookup login password 'lookup-secret'");
        }
        // then: it logs in and runs queries on backends, and a wrong password is still refused
        try (Connection connection = LocalPostgres.connect(
                "jdbc:postgresql://127.0.0.1:" + ROUTER + "/meridian", "router_it_lookup", "lookup-secret")) {
            assertEquals("router_it_lookup", scalar(connection, "select current_user"));
        }
        SQLException wrong = assertThrows(SQLException.class, () -> LocalPostgres.connect(
                "jdbc:postgresql://127.0.0.1:" + ROUTER + "/meridian", "router_it_lookup", "guess"));
        assertEquals("28P01", wrong.getSQLState());
    }

    @Test
    void aMissingDatabaseIsReportedAsPostgresWouldReportIt() {
        SQLException error = assertThrows(SQLException.class, () -> LocalPostgres.connect(
                "jdbc:postgresql://127.0.0.1:" + ROUTER + "/no_such_db", "meridian", "meridian"));
        assertEquals("3D000", error.getSQLState());
    }

    @Test
    void carriedSettingsInTheOptionsParameterApplyOnEveryBackend() throws SQLException {
        // pgjdbc's options (libpq's PGOPTIONS): -c switches, as PostgreSQL takes them at startup.
        try (Connection connection = viaRouter("&options=-c%20search_path=router_options_schema%20-c%20IntervalStyle=iso_8601")) {
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 8; i++) {
                assertEquals("router_options_schema|iso_8601",
                        scalar(connection, "select current_setting('search_path') || '|' || current_setting('IntervalStyle')"));
                seen.add(serverPort(connection));
            }
            assertTrue(REPLICAS.containsAll(seen), "carried, not pinned: " + seen);
        }
        SQLException refused = assertThrows(SQLException.class, () -> viaRouter("&options=-c%20statement_timeout=5s"));
        assertEquals("08P01", refused.getSQLState());
        assertTrue(refused.getMessage().contains("statement_timeout"), refused.getMessage());
    }

    @Test
    void anIgnoredStartupParameterIsAcceptedAndOthersAreRefusedByName() throws Exception {
        try (RawClient client = new RawClient(ROUTER)) {
            // The test application ignores geqo (application.properties).
            client.login("meridian", "meridian", java.util.Map.of("geqo", "off"));
            assertEquals("on", firstValue(client, "SHOW geqo"), "accepted, not applied");
        }
        try (RawClient client = new RawClient(ROUTER)) {
            client.send(RawClient.startup("meridian", java.util.Map.of("enable_seqscan", "off")));
            RawClient.Reply refused = client.readUntilError();
            assertEquals("08P01", refused.field('C'));
            assertEquals("unsupported startup parameter: enable_seqscan", refused.field('M'));
        }
    }

    @Test
    void aClientRefusedInTheMiddleOfAMessageGoesOnSendingAndThenReadsWhy() throws Exception {
        // A Query that says it is 100 MB long, past max-message-bytes (64 MiB): refused after its header,
        // while the client is still writing 8 MB of it (more than the sockets' buffers hold).
        byte[] start = new byte[8 * 1024 * 1024];
        ByteBuffer.wrap(start).put((byte) 'Q').putInt(100 * 1024 * 1024);
        try (RawClient client = new RawClient(ROUTER)) {
            client.login("meridian", "meridian");
            client.send(start);
            RawClient.Reply refused = client.readUntilError();
            assertNotNull(refused, "the reason arrives before the end of the connection");
            assertEquals("08P01", refused.field('C'));
            assertTrue(client.closedByPeer());
        }
    }

    @Test
    void clientsSendingLargeMessagesShareOneLimitAndOnlyTheOneBeyondItIsClosed() throws Exception {
        // The test router may hold 8 MiB of incomplete messages in all (application.properties).
        byte[] text = ("select length('" + "x".repeat(5_000_000) + "')\0").getBytes(StandardCharsets.US_ASCII);
        byte[] message = ByteBuffer.allocate(5 + text.length).put((byte) 'Q').putInt(4 + text.length).put(text).array();
        try (Connection bystander = viaRouter(); RawClient first = new RawClient(ROUTER); RawClient second = new RawClient(ROUTER)) {
            first.login("meridian", "meridian");
            second.login("meridian", "meridian");

            // given: 4 MB of one client's message held, waiting for the rest
            first.send(java.util.Arrays.copyOfRange(message, 0, 4_000_000));
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.heldBytes().held() >= 4_000_000);

            // when: another client's 5 MB would take the router past 8 MiB
            second.send(java.util.Arrays.copyOfRange(message, 0, 5_000_000));

            // then: that one is refused as PostgreSQL refuses what it cannot hold, and only that one
            RawClient.Reply refused = second.readUntilError();
            assertNotNull(refused);
            assertEquals("53200", refused.field('C'));
            assertTrue(second.closedByPeer());
            first.send(java.util.Arrays.copyOfRange(message, 4_000_000, message.length));
            String length = null;
            for (RawClient.Reply reply = first.read(); reply.type() != 'Z'; reply = first.read()) {
                assertNotEquals('E', reply.type(), "first client: " + new String(reply.body(), StandardCharsets.UTF_8));
                if (reply.type() == 'D') {
                    ByteBuffer row = ByteBuffer.wrap(reply.body());
                    row.getShort();
                    byte[] value = new byte[row.getInt()];
                    row.get(value);
                    length = new String(value, StandardCharsets.US_ASCII);
                }
            }
            assertEquals("5000000", length);
            assertEquals("1", scalar(bystander, "select 1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> runtime.heldBytes().held() == 0);
        }
    }

    @Test
    void aValueLargerThanTheRouterMayHoldStreamsThroughIntact() throws Exception {
        // 20 MB in one DataRow, past the test router's 8 MiB limit on held bytes: it is passed on as it arrives.
        // A socket timeout, so that a router that never answers fails the test instead of hanging it.
        try (Connection connection = viaRouter("&socketTimeout=60"); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select v, md5(v) from (select repeat('ab', 10000000) || 'end' as v) t")) {
            rows.next();
            String value = rows.getString(1);
            assertEquals(20_000_003, value.length());
            java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
            assertEquals(rows.getString(2), java.util.HexFormat.of().formatHex(md5.digest(value.getBytes(StandardCharsets.US_ASCII))));
        }
        assertEquals(0, runtime.heldBytes().held());
    }

    @Test
    void aReadThatEveryBackendFailsIsTriedOnEachOnceAndThenReported() throws Exception {
        // A 10 MB error message is not streamed and is more than the test router may hold (8 MiB):
        // each backend's connection is closed before anything reached the client, as if it died.
        double retriesBefore = meters.counter(dev.meridian.platform.metrics.MeterNames.of("router", "read_retries")).count();
        try (Connection connection = viaRouter("&socketTimeout=60"); Statement statement = connection.createStatement()) {
            SQLException lost = assertThrows(SQLException.class, () -> statement.executeQuery("select repeat('e', 10000000)::int"));
            assertEquals("08006", lost.getSQLState(), lost.getMessage());
        }
        double retries = meters.counter(dev.meridian.platform.metrics.MeterNames.of("router", "read_retries")).count() - retriesBefore;
        assertTrue(retries >= 1 && retries <= 2, "one try per backend: " + retries + " retries");
        assertEquals(0, runtime.heldBytes().held());
        try (Connection after = viaRouter()) {
            assertEquals("1", scalar(after, "select 1"));
        }
    }

    @Test
    void garbageAfterLoginGets08P01AndClosesOnlyThatConnection() throws Exception {
        try (Connection bystander = viaRouter(); RawClient raw = new RawClient(ROUTER)) {
            // given: a client speaking protocol 2
            raw.send(ByteBuffer.allocate(8).putInt(8).putInt(2 << 16).array());
            RawClient.Reply error = raw.readUntilError();
            assertNotNull(error);
            assertEquals("08P01", error.field('C'));
            assertTrue(raw.closedByPeer());
            assertEquals("1", scalar(bystander, "select 1"));
        }
        try (RawClient raw = new RawClient(ROUTER)) {
            raw.send(ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(196_608).array());
            RawClient.Reply error = raw.readUntilError();
            assertEquals("08P01", error.field('C'));
        }
        try (RawClient raw = new RawClient(ROUTER)) {
            raw.send(RawClient.startup("meridian"));
            assertEquals('R', raw.read().type());
            raw.send(new byte[] {'Z', 0, 0, 0, 4});
            RawClient.Reply error = raw.readUntilError();
            assertEquals("08P01", error.field('C'));
            assertTrue(raw.closedByPeer());
        }
        try (Connection bystander = viaRouter(); RawClient raw = new RawClient(ROUTER)) {
            raw.login("meridian", "meridian");
            raw.send(new byte[] {'Z', 0, 0, 0, 4});
            assertEquals("08P01", raw.readUntilError().field('C'));
            assertTrue(raw.closedByPeer());
            assertEquals("1", scalar(bystander, "select 1"));
        }
        try (RawClient raw = new RawClient(ROUTER)) {
            raw.login("meridian", "meridian");
            raw.send(ByteBuffer.allocate(5).put((byte) 'Q').putInt(100 << 20).array());
            assertEquals("08P01", raw.readUntilError().field('C'));
            assertTrue(raw.closedByPeer());
        }
    }

    /** The replies to {@code count} simple queries: each one's first DataRow value, or its SQLSTATE as "E:code". */
    private static List<String> repliesTo(RawClient client, int count) throws IOException {
        List<String> replies = new ArrayList<>();
        String current = null;
        while (replies.size() < count) {
            RawClient.Reply reply = client.read();
            if (reply.type() == 'D' && current == null) {
                ByteBuffer row = ByteBuffer.wrap(reply.body());
                row.getShort();
                int length = row.getInt();
                current = length < 0 ? "null" : new String(reply.body(), row.position(), length, StandardCharsets.UTF_8);
            } else if (reply.type() == 'E') {
                current = "E:" + reply.field('C');
            } else if (reply.type() == 'Z') {
                replies.add(current == null ? "" : current);
                current = null;
            }
        }
        return replies;
    }

    /**
     * A client that pipelines a write (or a LISTEN) behind a read that is still running on a replica:
     * each runs where it belongs, in the client's order; before, they followed the read to the
     * replica and failed there (25006).
     */
    @Test
    void aWritePipelinedBehindAReadOnAReplicaRunsOnThePrimary() throws Exception {
        awaitReadsOnReplicas();
        long id = System.nanoTime();
        try (RawClient client = new RawClient(ROUTER)) {
            client.login("meridian", "meridian");
            client.query("select inet_server_port() from pg_sleep(0.2)");
            client.query("insert into router_it values (" + id + ", 'pipelined') returning inet_server_port()");
            client.query("listen router_it_pipelined");
            client.query("select inet_server_port()");
            List<String> replies = repliesTo(client, 4);
            assertTrue(REPLICAS.contains(Integer.parseInt(replies.get(0))), replies.toString());
            assertEquals(String.valueOf(PRIMARY), replies.get(1), replies.toString());
            assertEquals("", replies.get(2), "LISTEN answered without an error: " + replies);
            assertEquals(String.valueOf(PRIMARY), replies.get(3), "pinned to the primary by the LISTEN: " + replies);
        }
        assertEquals(1, rowsWithId(id));
        try (RawClient client = new RawClient(ROUTER)) {
            client.login("meridian", "meridian");
            // Inside a read-only transaction the write stays with it, and fails there as it would directly.
            client.query("begin read only");
            client.query("select inet_server_port() from pg_sleep(0.1)");
            client.query("insert into router_it values (" + (id + 1) + ", 'read only')");
            client.query("rollback");
            List<String> replies = repliesTo(client, 4);
            assertEquals("E:25006", replies.get(2), replies.toString());
        }
        assertEquals(0, rowsWithId(id + 1));
        try (RawClient client = new RawClient(ROUTER)) {
            client.login("meridian", "meridian");
            // The ROLLBACK ahead of it ends the read-only transaction: the write then belongs on the primary.
            client.query("begin read only");
            client.query("select inet_server_port()");
            client.query("rollback");
            client.query("insert into router_it values (" + (id + 2) + ", 'after rollback') returning inet_server_port()");
            List<String> replies = repliesTo(client, 4);
            assertEquals(String.valueOf(PRIMARY), replies.get(3), replies.toString());
        }
        assertEquals(1, rowsWithId(id + 2));
    }

    private static byte[] message(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
    }

    /** Bind of the unnamed statement and unnamed portal without parameters or formats, Execute, Sync. */
    private static byte[] bindExecuteSync() {
        byte[] bind = message('B', new byte[] {0, 0, 0, 0, 0, 0, 0, 0});
        byte[] execute = message('E', new byte[] {0, 0, 0, 0, 0});
        byte[] sync = message('S', new byte[0]);
        return ByteBuffer.allocate(bind.length + execute.length + sync.length).put(bind).put(execute).put(sync).array();
    }

    /**
     * A pooled server connection keeps the unnamed statement of the client before; a client that
     * binds the unnamed statement without having parsed one gets 26000, as from PostgreSQL, and
     * does not run the other client's statement.
     */
    @Test
    void aBindOfTheUnnamedStatementWithoutAParseDoesNotRunAnotherClientsStatement() throws Exception {
        awaitReadsOnReplicas();
        byte[] parse = message('P', "\0select 'another client''s' as leftover\0\0\0".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 6; i++) {
            try (RawClient client = new RawClient(ROUTER)) {
                client.login("meridian", "meridian");
                client.send(parse);
                client.send(bindExecuteSync());
                assertEquals(List.of("another client's"), repliesTo(client, 1));
            }
        }
        try (RawClient client = new RawClient(ROUTER)) {
            client.login("meridian", "meridian");
            client.send(bindExecuteSync());
            assertEquals(List.of("E:26000"), repliesTo(client, 1));
            client.query("select 1");
            assertEquals(List.of("1"), repliesTo(client, 1), "the session goes on");
        }
    }

    /** PostgreSQL refuses a login with a setting value it does not accept (22023); so does the router, before the client is in. */
    @Test
    void aStartupSettingTheServerRefusesIsRefusedAtLoginAsPostgresDoes() throws Exception {
        // pgjdbc sends TimeZone, DateStyle and client_encoding of its own, so IntervalStyle comes in options.
        String bogus = "&options=-c%20IntervalStyle%3Dbogus";
        SQLException direct = assertThrows(SQLException.class,
                () -> LocalPostgres.connect("jdbc:postgresql://127.0.0.1:" + PRIMARY + "/meridian?user=meridian&password=meridian" + bogus, null, null).close());
        SQLException routed = assertThrows(SQLException.class, () -> viaRouter(bogus).close());
        assertEquals("22023", direct.getSQLState());
        assertEquals(direct.getSQLState(), routed.getSQLState(), routed.getMessage());
        assertTrue(routed.getMessage().contains("invalid value for parameter \"IntervalStyle\": \"bogus\""), routed.getMessage());
        for (int i = 0; i < 2; i++) {
            // The second time too: a refused value is not remembered as accepted.
            try (RawClient raw = new RawClient(ROUTER)) {
                IOException refused = assertThrows(IOException.class, () -> raw.login("meridian", "meridian", java.util.Map.of("TimeZone", "Bogus/Zone")));
                assertTrue(refused.getMessage().contains("invalid value for parameter \"TimeZone\""), refused.getMessage());
                assertTrue(raw.closedByPeer());
            }
        }
        try (Connection accepted = viaRouter("&options=-c%20IntervalStyle%3Diso_8601")) {
            assertEquals("iso_8601", scalar(accepted, "show intervalstyle"));
            assertEquals("P1D", scalar(accepted, "select interval '1 day'"));
        }
    }

    /** Extended-protocol messages cut short inside their body: each is a protocol violation of that client's alone. */
    @ParameterizedTest
    @ValueSource(strings = {"D", "C", "Dx", "Cx", "DS", "B", "Bportal", "P", "Pname", "Q", "Qselect 1"})
    void aMessageCutShortInsideItsBodyGets08P01(String message) throws Exception {
        byte[] body = message.substring(1).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] bytes = ByteBuffer.allocate(5 + body.length).put((byte) message.charAt(0)).putInt(4 + body.length).put(body).array();
        try (Connection bystander = viaRouter(); RawClient raw = new RawClient(ROUTER)) {
            raw.login("meridian", "meridian");
            raw.send(bytes);
            raw.send(new byte[] {'S', 0, 0, 0, 4});
            RawClient.Reply error = raw.readUntilError();
            assertNotNull(error, "an ErrorResponse before the connection closes");
            assertEquals("08P01", error.field('C'), error.field('M'));
            assertTrue(raw.closedByPeer());
            assertEquals("1", scalar(bystander, "select 1"));
        }
    }

    @Test
    void aSlowReaderGetsALargeResultWholeAndOthersAreServedMeanwhile() throws Exception {
        // The reply (about 11 MB) is far more than the sockets buffer: the router has to stop reading
        // the backend while the client does not read, and every byte must arrive intact afterwards.
        int rows = 200_000;
        try (RawClient slow = new RawClient(ROUTER, 16 * 1024); Connection bystander = viaRouter()) {
            slow.login("meridian", "meridian");
            slow.query("select g::text, md5(g::text) from generate_series(1, " + rows + ") g");
            Thread.sleep(1500);
            assertEquals("1", scalar(bystander, "select 1"));
            java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
            int seen = 0;
            RawClient.Reply reply;
            while ((reply = slow.read()).type() != 'Z') {
                assertTrue(reply.type() != 'E', () -> "error mid-result");
                if (reply.type() != 'D') {
                    continue;
                }
                ByteBuffer row = ByteBuffer.wrap(reply.body());
                assertEquals(2, row.getShort());
                byte[] number = new byte[row.getInt()];
                row.get(number);
                byte[] digest = new byte[row.getInt()];
                row.get(digest);
                seen++;
                assertEquals(String.valueOf(seen), new String(number, StandardCharsets.US_ASCII));
                assertEquals(java.util.HexFormat.of().formatHex(md5.digest(number)), new String(digest, StandardCharsets.US_ASCII));
            }
            assertEquals(rows, seen);
        }
    }

    @Test
    void aClientAskingForANewerProtocolIsToldTheRouterSpeaks30AndGoesOn() throws Exception {
        // libpq 18 may ask for 3.2, and protocol options come as _pq_. parameters: declined, not refused.
        try (RawClient client = new RawClient(ROUTER)) {
            client.login(RawClient.startup(3 << 16 | 2, "meridian", java.util.Map.of("_pq_.some_option", "on")), "meridian");
            assertNotNull(client.negotiated, "NegotiateProtocolVersion before authentication");
            ByteBuffer body = ByteBuffer.wrap(client.negotiated.body());
            assertEquals(0, body.getInt(), "newest minor version supported");
            assertEquals(1, body.getInt(), "options not recognised");
            assertEquals("_pq_.some_option\0", new String(body.array(), body.position(), body.remaining(), StandardCharsets.UTF_8));
            assertEquals("2", firstValue(client, "SELECT 1 + 1"));
        }
        try (RawClient plain = new RawClient(ROUTER)) {
            plain.login("meridian", "meridian");
            assertNull(plain.negotiated, "3.0 without options: nothing to negotiate");
        }
    }

    @Test
    void sslRequestIsAnsweredNoAndStartupGoesOn() throws Exception {
        try (RawClient raw = new RawClient(ROUTER)) {
            raw.send(ByteBuffer.allocate(8).putInt(8).putInt(80_877_103).array());
            assertEquals('N', raw.readByte());
            raw.send(RawClient.startup("meridian"));
            RawClient.Reply sasl = raw.read();
            assertEquals('R', sasl.type());
            assertEquals(10, ByteBuffer.wrap(sasl.body()).getInt(), "AuthenticationSASL");
        }
    }

    @Test
    void clientsBeyondTheLimitAreRefusedWith53300() throws Exception {
        List<RawClient> open = new ArrayList<>();
        try {
            String refused = null;
            for (int i = 0; i < 70 && refused == null; i++) {
                RawClient raw = new RawClient(ROUTER);
                open.add(raw);
                raw.send(RawClient.startup("meridian"));
                RawClient.Reply reply = raw.read();
                if (reply.type() == 'E') {
                    refused = reply.field('C');
                }
            }
            assertEquals("53300", refused);
        } finally {
            for (RawClient raw : open) {
                raw.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Connection connection = viaRouter()) {
                assertEquals("1", scalar(connection, "select 1"));
            }
        });
    }

    @Test
    void aTerminatedSessionIsThatSessionsEventNotTheBackendsFailure() throws Exception {
        try (Connection victim = viaRouter(); Connection admin = superuser(PRIMARY)) {
            victim.setAutoCommit(false);
            String pid = scalar(victim, "select pg_backend_pid()");
            try (Statement statement = admin.createStatement()) {
                statement.execute("select pg_terminate_backend(" + pid + ")");
            }
            SQLException error = assertThrows(SQLException.class, () -> scalar(victim, "select 1"));
            assertTrue(Set.of("57P01", "08006", "08003").contains(error.getSQLState()), error.getSQLState() + " " + error.getMessage());
        }
        assertEquals("up", status.snapshot().backends().get(0).state());
        try (Connection next = viaRouter()) {
            next.setAutoCommit(false);
            assertEquals(PRIMARY, serverPort(next));
            next.rollback();
        }
    }

    @Test
    void withTheFlagOffEveryStatementGoesToThePrimary() throws Exception {
        flags.set(Flag.REPLICA_ROUTING, false, "router-test").await().atMost(Duration.ofSeconds(5));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> !flags.isEnabled(Flag.REPLICA_ROUTING));
            for (int i = 0; i < 10; i++) {
                try (Connection connection = viaRouter()) {
                    assertEquals(PRIMARY, serverPort(connection));
                }
            }
        } finally {
            flags.set(Flag.REPLICA_ROUTING, true, "router-test").await().atMost(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(5)).until(() -> flags.isEnabled(Flag.REPLICA_ROUTING));
        }
    }

    @Test
    void aLaggingReplicaGetsNoReadsAndNewSessionsNeverReadStaleData() throws Exception {
        try (Connection replica2 = superuser(REPLICA_2); Statement pause = replica2.createStatement()) {
            pause.execute("select pg_wal_replay_pause()");
            try {
                // given: far more WAL than the 1 MB lag bound while replica-2 does not replay
                long marker = System.nanoTime();
                try (Connection writer = viaRouter(); Statement statement = writer.createStatement()) {
                    statement.execute("create table if not exists router_it_bulk (id bigint, pad text)");
                    statement.execute("insert into router_it_bulk select g, repeat('x', 200) from generate_series(1, 100000) g");
                    statement.execute("insert into router_it values (" + marker + ", 'fresh')");
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> status.snapshot().backends().get(2).state().equals("lagging"));
                assertTrue(status.snapshot().backends().get(2).lagBytes() > 1_048_576);

                // when: 60 new sessions read what was just written
                int stale = 0;
                Set<Integer> servedBy = new HashSet<>();
                for (int i = 0; i < 60; i++) {
                    try (Connection reader = viaRouter(); Statement statement = reader.createStatement();
                         ResultSet rows = statement.executeQuery("select count(*), inet_server_port() from router_it where id = " + marker)) {
                        rows.next();
                        stale += rows.getInt(1) == 1 ? 0 : 1;
                        servedBy.add(rows.getInt(2));
                    }
                }

                // then
                assertEquals(0, stale, "stale reads");
                assertFalse(servedBy.contains(REPLICA_2), "the paused replica served reads: " + servedBy);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    try (Connection reader = viaRouter()) {
                        assertEquals(REPLICA_1, serverPort(reader));
                    }
                });
            } finally {
                pause.execute("select pg_wal_replay_resume()");
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> status.snapshot().backends().get(2).state().equals("up"));
        RestAssured.get("/metrics/replica-routing").then().statusCode(200).body("backends[2].state", equalTo("up"));
    }

    @Test
    void aReplicaKilledUnderLoadCostsNoClientAnError() throws Exception {
        String dataDirectory;
        try (Connection replica1 = superuser(REPLICA_1)) {
            dataDirectory = scalar(replica1, "show data_directory");
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService load = Executors.newFixedThreadPool(4);
        // A socket the router left without an exception handler has its reset logged by Vert.x as
        // an unhandled ERROR: noise an operator's log alerts would page on for an expected event.
        List<String> unhandled = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Logger vertxLog = java.util.logging.Logger.getLogger("io.vertx.core.net.impl");
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                    unhandled.add(record.getLoggerName() + ": " + record.getMessage()
                            + (record.getThrown() == null ? "" : " " + record.getThrown()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        vertxLog.addHandler(capture);
        try {
            for (int t = 0; t < 4; t++) {
                load.submit(() -> {
                    while (running.get()) {
                        try (Connection connection = viaRouter()) {
                            for (int i = 0; i < 20 && running.get(); i++) {
                                scalar(connection, "select count(*) from router_it");
                                reads.incrementAndGet();
                            }
                        } catch (SQLException e) {
                            errors.add(e.getSQLState() + " " + e.getMessage());
                        }
                    }
                    return null;
                });
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() > 200);

            // when: replica-1 dies without a goodbye
            LocalPostgres.pgCtlOn(dataDirectory, "-m", "immediate", "stop");
            int before = reads.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> status.snapshot().backends().get(1).state().equals("down"));
            await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() > before + 500);
        } finally {
            running.set(false);
            load.shutdown();
            load.awaitTermination(30, TimeUnit.SECONDS);
            LocalPostgres.pgCtlOn(dataDirectory, "-l", dataDirectory + "/../log/replica1-restart.log", "-w", "-t", "60", "start");
            vertxLog.removeHandler(capture);
        }

        // then
        assertEquals(List.of(), errors);
        assertEquals(List.of(), unhandled);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertEquals("up", status.snapshot().backends().get(1).state(),
                () -> String.valueOf(status.snapshot().backends().get(1))));
    }

    @Test
    void theShellClientsRunCleanThroughTheRouter() throws Exception {
        Process script = new ProcessBuilder("bash", "src/test/shell/psql-and-pgbench.sh", String.valueOf(ROUTER))
                .redirectErrorStream(true).start();
        String output = new String(script.getInputStream().readAllBytes());
        assertTrue(script.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, script.exitValue(), output);
        assertTrue(output.contains("pgbench -M prepared: 0 failed"), output);
        assertTrue(output.contains("node-postgres: ok"), output);
    }

    private double refusedReads(String reason) {
        io.micrometer.core.instrument.Counter counter = meters.find(dev.meridian.platform.metrics.MeterNames.of("router", "refused_reads"))
                .tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static long rowsWithId(long id) throws SQLException {
        try (Connection direct = superuser(PRIMARY)) {
            return Long.parseLong(scalar(direct, "select count(*) from router_it where id = " + id));
        }
    }

    /** A function the classifier does not know writes: a standby refuses the SELECT of it (25006) and the primary runs it. */
    private static void writingFunction(String name) throws SQLException {
        try (Connection connection = superuser(PRIMARY); Statement statement = connection.createStatement()) {
            statement.execute("create or replace function " + name + "(id bigint) returns bigint language sql as "
                    + "$$ insert into router_it values (id, 'refused read') returning id $$");
        }
    }

    @Test
    void aSelectOfAWritingFunctionTheRouterDoesNotKnowRunsOnThePrimaryOnceAndItsShapeIsRemembered() throws SQLException {
        writingFunction("router_it_add_simple");
        awaitReadsOnReplicas();
        double before = refusedReads("writes");
        long first = System.nanoTime();
        try (Connection connection = viaRouter("&preferQueryMode=simple")) {
            assertEquals(String.valueOf(first), scalar(connection, "select router_it_add_simple(" + first + ")"));
        }
        assertEquals(1, rowsWithId(first), "written once, by the primary");
        assertEquals(1, refusedReads("writes") - before, 1e-9, "a standby refused it, and it ran again on the primary");
        assertTrue(status.snapshot().refusedStatements().contains("writes: select router_it_add_simple ( ? )"),
                status.snapshot().refusedStatements().toString());
        try (Connection reader = viaRouter()) {
            assertEquals("refused read", scalar(reader, "select note from router_it where id = " + first), "a write for read-your-writes");
        }

        awaitReadsOnReplicas();
        long second = System.nanoTime();
        try (Connection connection = viaRouter("&preferQueryMode=simple")) {
            assertEquals(String.valueOf(second), scalar(connection, "/* other literals, same shape */ SELECT router_it_add_simple(" + second + ")"));
        }
        assertEquals(1, rowsWithId(second));
        assertEquals(1, refusedReads("writes") - before, 1e-9, "the second went to the primary at once");
    }

    @Test
    void aPreparedSelectOfAWritingFunctionRunsOnThePrimaryAndTheClientsStatementStaysThere() throws SQLException {
        writingFunction("router_it_add_prepared");
        awaitReadsOnReplicas();
        double before = refusedReads("writes");
        long first = System.nanoTime();
        long second = first + 1;
        try (Connection connection = viaRouter("&prepareThreshold=1");
             java.sql.PreparedStatement add = connection.prepareStatement("select router_it_add_prepared(?)")) {
            for (long id : new long[] {first, second}) {
                add.setLong(1, id);
                try (ResultSet rows = add.executeQuery()) {
                    assertTrue(rows.next());
                    assertEquals(id, rows.getLong(1));
                }
            }
        }
        assertEquals(1, rowsWithId(first));
        assertEquals(1, rowsWithId(second));
        assertEquals(1, refusedReads("writes") - before, 1e-9, "refused once; the named statement then went to the primary");
    }

    /**
     * The replica connection already has the statement, so the router answers the client's Parse
     * itself; when the standby then refuses the statement, that answer must not reach the client
     * as well as the primary's (two ParseCompletes for one Parse break the client).
     */
    @Test
    void aRefusedPreparedReadWhoseParseTheRouterAnsweredItselfIsAnsweredOnce() throws SQLException {
        String function = "router_it_add_later";
        try (Connection connection = superuser(PRIMARY); Statement statement = connection.createStatement()) {
            statement.execute("create or replace function " + function + "(id bigint) returns bigint language sql as $$ select id $$");
        }
        awaitReadsOnReplicas();
        String sql = "select " + function + "(?)";
        for (int i = 0; i < 6; i++) {
            // Several sessions, so the connections at the top of both replicas' pools have it prepared.
            try (Connection connection = viaRouter("&prepareThreshold=1"); java.sql.PreparedStatement read = connection.prepareStatement(sql)) {
                read.setLong(1, i);
                try (ResultSet rows = read.executeQuery()) {
                    assertTrue(rows.next());
                }
            }
        }
        writingFunction(function);
        awaitReadsOnReplicas();
        double before = refusedReads("writes");
        long id = System.nanoTime();
        try (Connection connection = viaRouter("&prepareThreshold=1"); java.sql.PreparedStatement add = connection.prepareStatement(sql)) {
            add.setLong(1, id);
            try (ResultSet rows = add.executeQuery()) {
                assertTrue(rows.next());
                assertEquals(id, rows.getLong(1));
            }
            assertEquals(String.valueOf(PRIMARY), scalar(connection, "/* meridian:primary */ select inet_server_port()"), "the session goes on");
        }
        assertEquals(1, rowsWithId(id));
        assertEquals(1, refusedReads("writes") - before, 1e-9);
    }

    @Test
    void inAReadOnlyTransactionTheStandbysRefusalReachesTheClient() throws SQLException {
        writingFunction("router_it_add_read_only");
        awaitReadsOnReplicas();
        long id = System.nanoTime();
        try (Connection connection = viaRouter()) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            SQLException refused = assertThrows(SQLException.class, () -> scalar(connection, "select router_it_add_read_only(" + id + ")"));
            assertEquals("25006", refused.getSQLState(), "the primary would refuse it in a read-only transaction as well");
            connection.rollback();
        }
        assertEquals(0, rowsWithId(id));
    }

    @Test
    void aRoleWhoseTransactionsAreSerializableReadsFromThePrimary() throws SQLException {
        try (Connection connection = superuser(PRIMARY); Statement statement = connection.createStatement()) {
            statement.execute("do $$ begin create role router_serializable login password 'serializable'; "
                    + "exception when duplicate_object then null; end $$");
            statement.execute("alter role router_serializable set default_transaction_isolation = 'serializable'");
            statement.execute("grant select on router_it to router_serializable");
        }
        String url = "jdbc:postgresql://127.0.0.1:" + ROUTER + "/meridian";
        double before = refusedReads("serializable");
        try (Connection connection = LocalPostgres.connect(url, "router_serializable", "serializable")) {
            assertEquals(PRIMARY, serverPort(connection), "a standby cannot run a serializable snapshot");
            assertEquals("serializable", scalar(connection, "show transaction_isolation"));
        }
        assertEquals(1, refusedReads("serializable") - before, 1e-9);
        assertTrue(status.snapshot().refusedRoles().contains("meridian/router_serializable"), status.snapshot().refusedRoles().toString());
        try (Connection connection = LocalPostgres.connect(url, "router_serializable", "serializable")) {
            assertEquals(PRIMARY, serverPort(connection));
        }
        assertEquals(1, refusedReads("serializable") - before, 1e-9, "the role's next reads went to the primary at once");
        awaitReadsOnReplicas();
    }

    @Test
    void statusIsServedAsJsonAndGrpc() {
        RestAssured.get("/health/replica-routing").then().statusCode(200).body("status", equalTo("UP"))
                .body("backends.size()", equalTo(3)).body("consistency", equalTo("read-your-writes"));
        io.grpc.ManagedChannel channel = io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", RestAssured.port).usePlaintext().build();
        try {
            var reply = dev.meridian.contracts.router.v1.ReplicaRouterGrpc.newBlockingStub(channel)
                    .status(dev.meridian.contracts.router.v1.StatusRequest.getDefaultInstance());
            assertEquals(3, reply.getBackendsCount());
            assertEquals("primary", reply.getBackends(0).getRole());
            assertEquals("replica", reply.getBackends(1).getRole());
        } finally {
            channel.shutdownNow();
        }
    }
}
