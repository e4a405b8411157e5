package dev.meridian.router.it;

import dev.meridian.router.proxy.StandaloneRouter;
import dev.meridian.router.proxy.StandaloneRouters;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static dev.meridian.router.it.LocalPostgres.PRIMARY;
import static dev.meridian.router.it.LocalPostgres.scalar;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Credentials rotated while the router runs: the userlist file is rewritten as a Kubernetes
 * Secret update replaces it (a new file moved over the old), and the router reads it again
 * (the test application checks every 200 ms). A second router of the application's wiring uses
 * that file alone, without the auth query.
 */
@QuarkusTest
class UserlistReloadTest {

    private static final int PORT = 16437;
    private static final String ROLE = "rotating_role";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    StandaloneRouters routers;

    private Path userlist;

    @BeforeEach
    void roleWithAFirstPassword() throws Exception {
        dropRole();
        try (Connection direct = LocalPostgres.superuser(PRIMARY); Statement statement = direct.createStatement()) {
            statement.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD 'first-secret'");
        }
        userlist = Files.createTempFile("meridian-userlist-", ".txt");
        Files.writeString(userlist, "\"meridian\" \"meridian\"\n");
    }

    @AfterEach
    void cleanUp() throws Exception {
        Files.deleteIfExists(userlist);
        dropRole();
    }

    @Test
    void aRoleAddedToTheFileLogsInAndARotatedPasswordTakesEffectWithoutARestart() throws Exception {
        try (StandaloneRouter router = routers.startWithUserlist(PORT, userlist)) {
            SQLException unknown = assertThrows(SQLException.class, () -> login("first-secret"));
            assertEquals("28P01", unknown.getSQLState());

            replaceUserlist("\"meridian\" \"meridian\"\n\"" + ROLE + "\" \"first-secret\"\n");
            await().atMost(PATIENCE).ignoreExceptions().until(() -> {
                try (Connection client = login("first-secret")) {
                    return scalar(client, "SELECT current_user").equals(ROLE);
                }
            });

            // Rotation: the role's password first, then the Secret.
            try (Connection direct = LocalPostgres.superuser(PRIMARY); Statement statement = direct.createStatement()) {
                statement.execute("ALTER ROLE " + ROLE + " PASSWORD 'second-secret'");
            }
            replaceUserlist("\"meridian\" \"meridian\"\n\"" + ROLE + "\" \"second-secret\"\n");
            // New server connections must log in with the new password too: none of the old ones is left.
            terminateRoleSessions();
            await().atMost(PATIENCE).ignoreExceptions().until(() -> {
                try (Connection client = login("second-secret")) {
                    return scalar(client, "SELECT current_user").equals(ROLE)
                            && scalar(client, "/* meridian:primary */ SELECT current_user").equals(ROLE);
                }
            });
            assertTrue(refused("first-secret"));

            // A broken edit keeps the last good list: nobody is locked out by it.
            replaceUserlist("\"meridian\" \"meridian\"\n\"" + ROLE + "\" \"second-secret\n");
            Thread.sleep(1000);
            try (Connection client = login("second-secret")) {
                assertEquals(ROLE, scalar(client, "SELECT current_user"));
            }
        }
    }

    private void replaceUserlist(String content) throws Exception {
        Path next = Files.createTempFile(userlist.getParent(), "meridian-userlist-next-", ".txt");
        Files.writeString(next, content);
        Files.move(next, userlist, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Connection login(String password) throws SQLException {
        return LocalPostgres.connect("jdbc:postgresql://127.0.0.1:" + PORT + "/meridian?socketTimeout=60", ROLE, password);
    }

    private static boolean refused(String password) {
        try (Connection ignored = login(password)) {
            return false;
        } catch (SQLException e) {
            return "28P01".equals(e.getSQLState());
        }
    }

    private static void terminateRoleSessions() throws SQLException {
        for (int port : new int[] {PRIMARY, LocalPostgres.REPLICA_1, LocalPostgres.REPLICA_2}) {
            try (Connection direct = LocalPostgres.superuser(port)) {
                scalar(direct, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = '" + ROLE + "'");
            }
        }
    }

    private static void dropRole() throws SQLException {
        terminateRoleSessions();
        try (Connection direct = LocalPostgres.superuser(PRIMARY); Statement statement = direct.createStatement()) {
            statement.execute("DROP ROLE IF EXISTS " + ROLE);
        }
    }
}
