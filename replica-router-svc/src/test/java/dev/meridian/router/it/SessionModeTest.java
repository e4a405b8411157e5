package dev.meridian.router.it;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static dev.meridian.router.it.LocalPostgres.PRIMARY;
import static dev.meridian.router.it.LocalPostgres.scalar;
import static dev.meridian.router.it.LocalPostgres.serverPort;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Session pooling: one primary connection per client for its lifetime, reset before the next client. */
@QuarkusTest
@TestProfile(SessionModeTest.SessionPoolingOverTls.class)
class SessionModeTest {

    /**
     * The second router of the module's tests (one Quarkus boot serves both test classes): session
     * mode with one server connection to share, on a port of its own, TLS required with a
     * certificate made for the run.
     */
    public static class SessionPoolingOverTls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            java.nio.file.Path[] pem = TestCertificate.create();
            return Map.of("meridian.router.pool.mode", "session", "meridian.router.listen.port", "16434",
                    "meridian.router.pool.size", "1", "meridian.router.listen.event-loops", "1",
                    "meridian.router.listen.tls-certificate", pem[0].toString(), "meridian.router.listen.tls-key", pem[1].toString(),
                    "meridian.router.listen.tls-required", "true");
        }
    }

    static final String TLS_URL = "jdbc:postgresql://127.0.0.1:16434/meridian?user=meridian&password=meridian"
            + "&sslmode=require&sslfactory=org.postgresql.ssl.NonValidatingFactory";

    private static Connection client() throws SQLException {
        return LocalPostgres.connect(TLS_URL, null, null);
    }

    @Test
    void aClientKeepsOnePrimaryBackendAndTheNextOneGetsItClean() throws SQLException {
        String firstPid;
        try (Connection first = client(); Statement statement = first.createStatement()) {
            firstPid = scalar(first, "select pg_backend_pid()");
            assertEquals(PRIMARY, serverPort(first), "session mode does not split reads");
            statement.execute("create temp table session_scratch (x int)");
            statement.execute("set statement_timeout = '7s'");
            for (int i = 0; i < 5; i++) {
                assertEquals(firstPid, scalar(first, "select pg_backend_pid()"));
            }
        }
        try (Connection second = client()) {
            assertEquals(firstPid, scalar(second, "select pg_backend_pid()"), "the one pooled connection is reused");
            assertEquals("0", scalar(second, "select count(*) from pg_class where relname = 'session_scratch'"),
                    "DISCARD ALL dropped the previous client's temporary table");
            assertEquals("0", scalar(second, "show statement_timeout"));
        }
    }
}
