package dev.meridian.router.it;

import dev.meridian.platform.breaker.CircuitBreakers;
import dev.meridian.router.auth.BackendCredentials;
import dev.meridian.router.config.BackendAddress;
import dev.meridian.router.pool.BackendError;
import dev.meridian.router.pool.ServerConnection;
import dev.meridian.router.pool.ServerConnector;
import dev.meridian.router.pool.ServerTls;
import dev.meridian.router.probe.BackendCluster;
import dev.meridian.router.probe.BackendNode;
import dev.meridian.router.probe.BackendProber;
import dev.meridian.router.wire.HeldBytes;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS from the router to PostgreSQL, against a throwaway server that takes TLS only (pg_hba
 * {@code hostssl}) with a certificate for {@code localhost} made for the run.
 */
@QuarkusTest
class BackendTlsTest {

    private static ThrowawayPostgres servers;
    private static Path[] certificate;

    @Inject
    Vertx vertx;

    @Inject
    CircuitBreakers breakers;

    @BeforeAll
    static void tlsOnlyServer() throws Exception {
        certificate = TestCertificate.create();
        servers = ThrowawayPostgres.start(0, certificate);
    }

    @AfterAll
    static void stop() throws Exception {
        servers.close();
    }

    private static BackendNode server(String host, int port) {
        return new BackendNode(BackendAddress.parse("tls-test", "postgresql://postgres:unused@" + host + ":" + port + "/postgres"), true);
    }

    private static ServerTls tls(String mode) {
        return ServerTls.parse(mode, mode.startsWith("verify") ? Optional.of(certificate[0]) : Optional.empty());
    }

    /** A server connection opened as the router opens one, on an event loop, as the node's URL's role. */
    private ServerConnection connect(ServerTls tls, BackendNode node) throws Exception {
        CompletableFuture<ServerConnection> opened = new CompletableFuture<>();
        BackendAddress address = node.address();
        vertx.getOrCreateContext().runOnContext(v -> new ServerConnector(vertx, 1 << 20, Duration.ofSeconds(5), tls, 200, new HeldBytes(1 << 26))
                .connect(node, address.database(), address.user(), BackendCredentials.password(address.password())).onComplete(done -> {
                    if (done.succeeded()) {
                        opened.complete(done.result());
                    } else {
                        opened.completeExceptionally(done.cause());
                    }
                }));
        return opened.get(30, TimeUnit.SECONDS);
    }

    private static BackendError refusal(ThrowingConnect connect) {
        ExecutionException failure = assertThrows(ExecutionException.class, connect::run);
        return assertInstanceOf(BackendError.class, failure.getCause());
    }

    private interface ThrowingConnect {
        void run() throws Exception;
    }

    @Test
    void requireOpensATlsSessionTheServerSeesAsSuch() throws Exception {
        ServerConnection connection = connect(tls("require"), server("127.0.0.1", servers.primaryPort));
        try (Connection direct = LocalPostgres.connect("jdbc:postgresql://127.0.0.1:" + servers.primaryPort
                + "/postgres?sslmode=require", "postgres", "unused")) {
            assertEquals("1", LocalPostgres.scalar(direct, "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid)"
                    + " WHERE application_name = 'meridian-router' AND ssl"));
        } finally {
            connection.close();
        }
    }

    @Test
    void withTlsDisabledATlsOnlyServerRefusesTheRouter() {
        BackendError error = refusal(() -> connect(tls("disable"), server("127.0.0.1", servers.primaryPort)));
        assertEquals("28000", error.sqlState(), error.getMessage());
    }

    @Test
    void verifyFullChecksTheCertificateAndTheHostName() throws Exception {
        connect(tls("verify-full"), server("localhost", servers.primaryPort)).close();
        // The certificate names localhost, not 127.0.0.1: verify-ca accepts it there, verify-full does not.
        connect(tls("verify-ca"), server("127.0.0.1", servers.primaryPort)).close();
        BackendError error = refusal(() -> connect(tls("verify-full"), server("127.0.0.1", servers.primaryPort)));
        assertEquals("08006", error.sqlState(), error.getMessage());
    }

    @Test
    void requireRefusesAServerWithoutTlsAndPreferFallsBackToClear() throws Exception {
        BackendNode local = new BackendNode(BackendAddress.parse("local", "postgresql://meridian:meridian@127.0.0.1:"
                + LocalPostgres.PRIMARY + "/meridian"), true);
        BackendError error = refusal(() -> connect(tls("require"), local));
        assertEquals("08006", error.sqlState());
        assertTrue(error.getMessage().contains("does not accept TLS"), error.getMessage());
        connect(tls("prefer"), local).close();
    }

    @Test
    void theProberReachesATlsOnlyServer() {
        BackendCluster cluster = new BackendCluster(BackendAddress.parse("tls-primary", ThrowawayPostgres.url(servers.primaryPort)), List.of());
        try (BackendProber prober = new BackendProber(vertx, cluster, FastProbe.SETTINGS, tls("require"), breakers, () -> Long.MIN_VALUE)) {
            prober.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.nodes().get(0).health() == BackendNode.Health.UP);
            assertEquals(1, cluster.nodes().get(0).timeline());
        }
    }
}
