package dev.meridian.router.it;

import dev.meridian.router.proxy.StandaloneRouter;
import dev.meridian.router.proxy.StandaloneRouters;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.meridian.router.it.LocalPostgres.PRIMARY;
import static dev.meridian.router.it.LocalPostgres.scalar;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shutdown as a rolling restart meets it: the router stops taking clients and lets the connected
 * ones finish what they started. A second router of the application's own wiring, in front of
 * the local servers, is shut down while clients are idle, inside a transaction and mid-statement.
 */
@QuarkusTest
class ShutdownDrainTest {

    private static final int PORT = 16436;

    @Inject
    StandaloneRouters routers;

    @BeforeEach
    void freshTable() throws SQLException {
        LocalPostgres.freshNotesTable("drain_writes");
    }

    @Test
    void transactionsAndStatementsUnderWayFinishAndEveryClientIsLetGoBetweenTransactions() throws Exception {
        Duration timeout = Duration.ofSeconds(30);
        StandaloneRouter router = start(timeout);
        CompletableFuture<Void> shutdown = null;
        try (RawClient idle = new RawClient(PORT); Connection inTransaction = client(); Connection sleeper = client()) {
            idle.login("meridian", "meridian");
            inTransaction.setAutoCommit(false);
            try (Statement statement = inTransaction.createStatement()) {
                statement.execute("INSERT INTO drain_writes VALUES ('begun before')");
            }
            CompletableFuture<String> slowRead = CompletableFuture.supplyAsync(() -> {
                try {
                    return scalar(sleeper, "SELECT 'slept' FROM pg_sleep(1.5)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> sleeping() == 1);

            long started = System.nanoTime();
            shutdown = CompletableFuture.runAsync(router::close);

            // Between transactions: told at once, in PostgreSQL's terms, without having asked anything.
            RawClient.Reply farewell = idle.read();
            assertEquals('E', farewell.type());
            assertEquals("FATAL", farewell.field('S'));
            assertEquals("57P01", farewell.field('C'));
            assertTrue(idle.closedByPeer());
            SQLException refused = assertThrows(SQLException.class, ShutdownDrainTest::client);
            assertEquals("57P03", refused.getSQLState(), refused.getMessage());

            assertEquals("slept", slowRead.get(30, TimeUnit.SECONDS), "a statement under way is answered");
            try (Statement statement = inTransaction.createStatement()) {
                statement.execute("INSERT INTO drain_writes VALUES ('written while draining')");
            }
            inTransaction.commit();
            SQLException letGo = assertThrows(SQLException.class, () -> scalar(inTransaction, "SELECT 1"));
            assertTrue(letGo.getSQLState().equals("57P01") || letGo.getSQLState().startsWith("08"), letGo.getSQLState());
            assertThrows(SQLException.class, () -> scalar(sleeper, "SELECT 1"), "the reader too, after its statement");

            shutdown.get(timeout.toSeconds(), TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - started < timeout.toNanos(), "done when the last client left, not at the timeout");
            try (Connection direct = LocalPostgres.superuser(PRIMARY)) {
                assertEquals("2", scalar(direct, "SELECT count(*) FROM drain_writes"));
            }
        } finally {
            if (shutdown == null) {
                router.close();
            }
        }
    }

    @Test
    void aTransactionOutlastingTheShutdownTimeoutIsEndedAndNothingOfItCommits() throws Exception {
        StandaloneRouter router = start(Duration.ofSeconds(1));
        boolean closed = false;
        try (RawClient lingering = new RawClient(PORT)) {
            lingering.login("meridian", "meridian");
            lingering.query("BEGIN; INSERT INTO drain_writes VALUES ('never committed')");
            RawClient.Reply reply;
            do {
                reply = lingering.read();
            } while (reply.type() != 'Z');
            assertEquals('T', (char) reply.body()[0]);

            router.close();
            closed = true;

            RawClient.Reply farewell = lingering.readUntilError();
            assertEquals("57P01", farewell.field('C'));
            assertTrue(farewell.field('M').contains("outlasted the shutdown timeout"), farewell.field('M'));
            assertTrue(lingering.closedByPeer());
            try (Connection direct = LocalPostgres.superuser(PRIMARY)) {
                // Its server connection was closed with it: the backend rolls the transaction back.
                await().atMost(Duration.ofSeconds(30)).until(() -> scalar(direct,
                        "SELECT count(*) FROM pg_stat_activity WHERE usename = 'meridian' AND state LIKE 'idle in transaction%'").equals("0"));
                assertEquals("0", scalar(direct, "SELECT count(*) FROM drain_writes"));
            }
        } finally {
            if (!closed) {
                router.close();
            }
        }
        assertFalse(portOpen(), "the listener is gone");
    }

    private StandaloneRouter start(Duration shutdownTimeout) throws Exception {
        return routers.start(routers.config().primaryUrl(), routers.config().replicaUrls(), PORT, shutdownTimeout);
    }

    private static Connection client() throws SQLException {
        return LocalPostgres.connect("jdbc:postgresql://127.0.0.1:" + PORT + "/meridian?user=meridian&password=meridian&socketTimeout=60",
                null, null);
    }

    /** Sessions on the replicas running the sleeper's statement. */
    private static int sleeping() throws SQLException {
        int total = 0;
        for (int port : new int[] {LocalPostgres.REPLICA_1, LocalPostgres.REPLICA_2, PRIMARY}) {
            try (Connection direct = LocalPostgres.superuser(port)) {
                total += Integer.parseInt(scalar(direct,
                        "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(1.5)%' AND pid <> pg_backend_pid()"));
            }
        }
        return total;
    }

    private static boolean portOpen() {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", PORT)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
