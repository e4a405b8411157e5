package dev.meridian.router.it;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import static dev.meridian.router.it.LocalPostgres.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS to clients: SSLRequest answered 'S' when a certificate is configured; plaintext refused when TLS is required. */
@QuarkusTest
@TestProfile(SessionModeTest.SessionPoolingOverTls.class)
class TlsTest {

    @Test
    void pgjdbcConnectsOverTls() throws SQLException {
        try (Connection connection = LocalPostgres.connect(SessionModeTest.TLS_URL, null, null)) {
            assertEquals("1", scalar(connection, "select 1"));
        }
    }

    @Test
    void plaintextIsRefusedWhenTlsIsRequired() {
        SQLException refused = assertThrows(SQLException.class, () -> LocalPostgres.connect(
                "jdbc:postgresql://127.0.0.1:16434/meridian?user=meridian&password=meridian&sslmode=disable", null, null));
        assertEquals("28000", refused.getSQLState());
    }

    @Test
    void psqlSeesATlsConnection() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("psql", "-X", "-h", "127.0.0.1", "-p", "16434", "-U", "meridian", "meridian",
                "-c", "\\conninfo").redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", "meridian");
        builder.environment().put("PGSSLMODE", "require");
        Process psql = builder.start();
        String output = new String(psql.getInputStream().readAllBytes());
        assertTrue(psql.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, psql.exitValue(), output);
        assertTrue(output.contains("SSL connection"), output);
    }
}
