package dev.meridian.router.it;

import dev.meridian.router.probe.BackendNode;
import dev.meridian.router.proxy.StandaloneRouter;
import dev.meridian.router.proxy.StandaloneRouters;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static dev.meridian.router.it.LocalPostgres.scalar;
import static dev.meridian.router.it.LocalPostgres.serverPort;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failover as a client of the router sees it: a standby is promoted while the primary goes on
 * running (as when an operator or a failover manager promotes across a partition). The router's
 * own wiring runs in front of throwaway servers ({@link StandaloneRouter}); the clients are pgjdbc.
 */
@QuarkusTest
class FailoverThroughRouterTest {

    private static final int PORT = 16435;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    StandaloneRouters routers;

    @Test
    void writesMoveToThePromotedStandbyAndSessionsOnTheOldPrimaryAreCut() throws Exception {
        try (ThrowawayPostgres servers = ThrowawayPostgres.start(1)) {
            try (Connection setup = LocalPostgres.connect("jdbc:postgresql://127.0.0.1:" + servers.primaryPort + "/postgres",
                    "postgres", "unused"); Statement statement = setup.createStatement()) {
                statement.execute("CREATE ROLE meridian LOGIN PASSWORD 'meridian'");
                statement.execute("CREATE DATABASE meridian OWNER meridian");
            }
            try (StandaloneRouter router = routers.start(ThrowawayPostgres.url(servers.primaryPort),
                    List.of(ThrowawayPostgres.url(servers.standbyPorts[0])), PORT)) {
                BackendNode primary = router.cluster().nodes().get(0);
                BackendNode standby = router.cluster().nodes().get(1);
                try (Connection owner = client(); Statement statement = owner.createStatement()) {
                    statement.execute("CREATE TABLE failover_writes (note text)");
                    assertEquals(servers.primaryPort, portAnswering(owner, "INSERT INTO failover_writes VALUES ('before') RETURNING inet_server_port()"));
                }
                Connection pinned = client();
                Connection inTransaction = client();
                try {
                    // Session state the router cannot replay (a session advisory lock) pins a client to its server; so does an open transaction.
                    try (Statement statement = pinned.createStatement()) {
                        statement.execute("SELECT pg_advisory_lock(1717)");
                    }
                    assertEquals(servers.primaryPort, serverPort(pinned));
                    inTransaction.setAutoCommit(false);
                    assertEquals(servers.primaryPort, portAnswering(inTransaction, "INSERT INTO failover_writes VALUES ('uncommitted') RETURNING inet_server_port()"));

                    // Connecting is part of the wait: the standby may not have replayed CREATE DATABASE yet.
                    await().atMost(PATIENCE).ignoreExceptions().until(() -> {
                        try (Connection standbyDirect = LocalPostgres.connect("jdbc:postgresql://127.0.0.1:" + servers.standbyPorts[0]
                                + "/meridian", "postgres", "unused")) {
                            return scalar(standbyDirect, "SELECT count(*) FROM failover_writes").equals("1");
                        }
                    });
                    servers.promoteStandby(0);

                    await().atMost(PATIENCE).until(() -> {
                        try (Connection writer = client()) {
                            return portAnswering(writer, "INSERT INTO failover_writes VALUES ('after') RETURNING inet_server_port()") == servers.standbyPorts[0];
                        }
                    });
                    assertSame(standby, router.cluster().writer());
                    assertTrue(router.cluster().fenced(primary));

                    // The old primary still takes writes, so nothing of this router may reach it again: not
                    // even before the fence sweep (every 500 ms) has closed the connections there.
                    SQLException lost = assertThrows(SQLException.class, inTransaction::commit);
                    assertTrue(lost.getSQLState().startsWith("08"), lost.getSQLState() + " " + lost.getMessage());
                    SQLException cut = assertThrows(SQLException.class, () -> {
                        long deadline = System.nanoTime() + PATIENCE.toNanos();
                        while (System.nanoTime() < deadline) {
                            serverPort(pinned);
                            Thread.sleep(100);
                        }
                    });
                    assertTrue(cut.getSQLState().startsWith("08"), cut.getSQLState() + " " + cut.getMessage());
                    try (Connection oldPrimary = LocalPostgres.connect("jdbc:postgresql://127.0.0.1:" + servers.primaryPort + "/meridian",
                            "postgres", "unused")) {
                        // Idle pooled connections included: every event loop's sweep closed them.
                        await().atMost(PATIENCE).until(() -> scalar(oldPrimary,
                                "SELECT count(*) FROM pg_stat_activity WHERE usename = 'meridian'").equals("0"));
                    }
                    try (Connection reader = client()) {
                        assertEquals(servers.standbyPorts[0], serverPort(reader), "the only server left to read from is the new writer");
                        assertEquals("after,before", scalar(reader, "SELECT string_agg(DISTINCT note, ',' ORDER BY note) FROM failover_writes"),
                                "the promoted standby has what was committed before, nothing of the cut transaction");
                    }
                } finally {
                    closeQuietly(pinned);
                    closeQuietly(inTransaction);
                }
            }
        }
    }

    private static Connection client() throws SQLException {
        return LocalPostgres.connect("jdbc:postgresql://127.0.0.1:" + PORT + "/meridian?user=meridian&password=meridian&socketTimeout=60", null, null);
    }

    private static int portAnswering(Connection connection, String sql) throws SQLException {
        return Integer.parseInt(scalar(connection, sql));
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // Already cut by the router.
        }
    }
}
