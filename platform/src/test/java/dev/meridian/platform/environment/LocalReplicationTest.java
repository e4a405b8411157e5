package dev.meridian.platform.environment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PostgreSQL that ./meridian starts is a real primary with two streaming replicas, which the
 * replica router's tests rely on. Connects as the application user over SCRAM, as clients will.
 */
class LocalReplicationTest {

    private static final String PRIMARY = "jdbc:postgresql://127.0.0.1:15432/meridian";
    private static final List<String> REPLICAS = List.of(
            "jdbc:postgresql://127.0.0.1:15433/meridian", "jdbc:postgresql://127.0.0.1:15434/meridian");

    @BeforeAll
    static void table() throws SQLException {
        try (Connection primary = connect(PRIMARY); Statement statement = primary.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS environment_check (token text PRIMARY KEY, written_at timestamptz DEFAULT now())");
        }
    }

    @Test
    void primaryShowsTwoStreamingStandbys() throws SQLException {
        List<String> streaming = new ArrayList<>();
        try (Connection primary = connect(PRIMARY); Statement statement = primary.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' ORDER BY 1")) {
            while (rows.next()) {
                streaming.add(rows.getString(1));
            }
        }
        assertEquals(List.of("replica1", "replica2"), streaming);
    }

    @Test
    void aRowWrittenOnThePrimaryAppearsOnBothReplicas() throws SQLException {
        // given
        String token = UUID.randomUUID().toString();

        // when
        try (Connection primary = connect(PRIMARY);
                PreparedStatement insert = primary.prepareStatement("INSERT INTO environment_check (token) VALUES (?)")) {
            insert.setString(1, token);
            assertEquals(1, insert.executeUpdate());
        }

        // then
        for (String replica : REPLICAS) {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> holds(replica, token));
        }
    }

    @Test
    void replicasAreReadOnlyStandbys() throws SQLException {
        for (String replica : REPLICAS) {
            try (Connection connection = connect(replica); Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT pg_is_in_recovery()")) {
                assertTrue(row.next());
                assertTrue(row.getBoolean(1), replica + " is not in recovery");
            }
            try (Connection connection = connect(replica); Statement statement = connection.createStatement()) {
                SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                        () -> statement.execute("INSERT INTO environment_check (token) VALUES ('must-fail')"));
                assertEquals("25006", refused.getSQLState(), "read_only_sql_transaction expected");
            }
        }
    }

    private static boolean holds(String url, String token) throws SQLException {
        try (Connection connection = connect(url);
                PreparedStatement select = connection.prepareStatement("SELECT 1 FROM environment_check WHERE token = ?")) {
            select.setString(1, token);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static Connection connect(String url) throws SQLException {
        Connection connection = DriverManager.getConnection(url, "meridian", "meridian");
        assertFalse(connection.isClosed());
        return connection;
    }
}
