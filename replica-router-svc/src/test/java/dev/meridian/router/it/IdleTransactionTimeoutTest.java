package dev.meridian.router.it;

import dev.meridian.router.proxy.StandaloneRouter;
import dev.meridian.router.proxy.StandaloneRouters;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static dev.meridian.router.it.LocalPostgres.PRIMARY;
import static dev.meridian.router.it.LocalPostgres.scalar;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pool.idle-transaction-timeout: clients that open a transaction and go quiet would hold the
 * pool's server connections from everyone else. A router of the application's wiring with a pool
 * of 2 per backend (one per event loop) and a 1 s timeout.
 */
@QuarkusTest
class IdleTransactionTimeoutTest {

    private static final int PORT = 16438;

    @Inject
    StandaloneRouters routers;

    @Test
    void aClientSittingInATransactionIsEndedAndItsConnectionServesOthers() throws Exception {
        LocalPostgres.freshNotesTable("idle_tx_writes");
        try (StandaloneRouter router = routers.startWithPool(PORT, Map.of("size", 2, "idleTransactionTimeout", Duration.ofSeconds(1)))) {
            // Two forgetful clients: one per event loop, each holding its loop's only primary connection.
            Connection[] forgetful = {client(), client()};
            for (Connection connection : forgetful) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("INSERT INTO idle_tx_writes VALUES ('never committed')");
                }
            }
            // Working clients are served (without the timeout each waits out the 30 s acquire timeout: query_wait_timeout).
            for (int i = 0; i < 4; i++) {
                try (Connection working = client(); Statement statement = working.createStatement()) {
                    statement.execute("INSERT INTO idle_tx_writes VALUES ('committed')");
                }
            }
            for (Connection connection : forgetful) {
                SQLException ended = assertThrows(SQLException.class, connection::commit);
                assertTrue(ended.getSQLState().equals("25P03") || ended.getSQLState().startsWith("08"), ended.getSQLState());
                connection.close();
            }
            try (Connection direct = LocalPostgres.superuser(PRIMARY)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> scalar(direct,
                        "SELECT count(*) FROM idle_tx_writes WHERE note = 'never committed'").equals("0"));
                assertEquals("4", scalar(direct, "SELECT count(*) FROM idle_tx_writes WHERE note = 'committed'"));
            }
        }
    }

    @Test
    void aClientWorkingInsideALongTransactionIsNotEnded() throws Exception {
        try (StandaloneRouter router = routers.startWithPool(PORT, Map.of("idleTransactionTimeout", Duration.ofSeconds(1)));
             Connection busy = client(); Statement statement = busy.createStatement()) {
            busy.setAutoCommit(false);
            // A statement that runs longer than the timeout is not idleness; nor are short pauses between statements.
            statement.execute("SELECT pg_sleep(1.5)");
            for (int i = 0; i < 6; i++) {
                Thread.sleep(400);
                assertEquals("1", scalar(busy, "SELECT 1"));
            }
            busy.commit();
        }
    }

    private static Connection client() throws SQLException {
        return LocalPostgres.connect("jdbc:postgresql://127.0.0.1:" + PORT + "/meridian?user=meridian&password=meridian&socketTimeout=60",
                null, null);
    }
}
