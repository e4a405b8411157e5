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
import io.vertx.core.buffer.Buffer;
import dev.meridian.router.wire.Buffers;
import dev.meridian.router.wire.FrontendMessages;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        vertx.getOrCreateContext().runOnContext(v -> connector(tls)
                .connect(node, address.database(), address.user(), BackendCredentials.password(address.password())).onComplete(done -> {
                    if (done.succeeded()) {
                        opened.complete(done.result());
                    } else {
                        opened.completeExceptionally(done.cause());
                    }
                }));
        return opened.get(30, TimeUnit.SECONDS);
    }

    private ServerConnector connector(ServerTls tls) {
        return new ServerConnector(vertx, 1 << 20, Duration.ofSeconds(5), tls, 200, new HeldBytes(1 << 26));
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
    void cancelRequestsNegotiateTlsAsServerConnectionsDo() throws Exception {
        // A TLS-only server: the cancel arrives after SSLRequest and the handshake, and stops the query.
        assertEquals("57014", cancelledSleep(server("127.0.0.1", servers.primaryPort), tls("require"), tls("require")));
        // A server in clear with TLS required: the cancel key is not sent at all, the query runs on;
        // in prefer the same cancel goes in clear after the server's N, and stops it.
        BackendNode local = new BackendNode(BackendAddress.parse("local", "postgresql://meridian:meridian@127.0.0.1:"
                + LocalPostgres.PRIMARY + "/meridian"), true);
        assertEquals("57014", cancelledSleep(local, tls("prefer"), tls("require"), tls("prefer")));
    }

    /**
     * Runs {@code pg_sleep(30)} on a connection opened with {@code connectWith}, then sends a cancel
     * with each of {@code cancelWith} in turn, every one but the last expected to leave the query
     * running; the SQLSTATE the query ends with.
     */
    private String cancelledSleep(BackendNode node, ServerTls connectWith, ServerTls... cancelWith) throws Exception {
        ServerConnection connection = connect(connectWith, node);
        Buffer received = Buffer.buffer();
        CompletableFuture<String> ended = new CompletableFuture<>();
        connection.owner(new ServerConnection.Owner() {
            @Override
            public void onServerData(ServerConnection from, Buffer data) {
                received.appendBuffer(data.copy());
                String text = received.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
                int code = text.indexOf("\0C");
                if (code >= 0 && text.length() >= code + 7) {
                    ended.complete(text.substring(code + 2, code + 7));
                }
            }

            @Override
            public void onServerClosed(ServerConnection from) {
                ended.complete("closed");
            }
        });
        try {
            connection.write(Buffers.of(FrontendMessages.query("SELECT pg_sleep(30)")));
            await().atMost(Duration.ofSeconds(10)).until(() -> sleeping(node, connection.processId()));
            for (int i = 0; i < cancelWith.length; i++) {
                CompletableFuture<Void> sent = new CompletableFuture<>();
                connector(cancelWith[i]).cancel(node, connection.processId(), connection.secretKey())
                        .onComplete(done -> sent.complete(null));
                sent.get(10, TimeUnit.SECONDS);
                if (i < cancelWith.length - 1) {
                    Thread.sleep(500);
                    assertTrue(sleeping(node, connection.processId()), "the query runs on: no cancel reached the server");
                    assertFalse(ended.isDone());
                }
            }
            return ended.get(10, TimeUnit.SECONDS);
        } finally {
            connection.close();
        }
    }

    private static boolean sleeping(BackendNode node, int processId) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + node.address().port() + "/postgres?sslmode=prefer";
        try (Connection direct = LocalPostgres.connect(url, "postgres", "postgres")) {
            return "1".equals(LocalPostgres.scalar(direct, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + processId
                    + " AND state = 'active' AND query LIKE '%pg_sleep%'"));
        }
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
