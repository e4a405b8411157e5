package dev.meridian.router.it;

import dev.meridian.platform.breaker.CircuitBreakers;
import dev.meridian.router.auth.BackendCredentials;
import dev.meridian.router.config.BackendAddress;
import dev.meridian.router.pool.BackendPool;
import dev.meridian.router.pool.PoolGauges;
import dev.meridian.router.pool.ServerConnection;
import dev.meridian.router.pool.ServerConnector;
import dev.meridian.router.pool.ServerTls;
import dev.meridian.router.probe.BackendCluster;
import dev.meridian.router.probe.BackendNode;
import dev.meridian.router.probe.BackendProber;
import dev.meridian.router.routing.Consistency;
import dev.meridian.router.routing.TargetSelector;
import dev.meridian.router.routing.WriteLedger;
import dev.meridian.router.wire.HeldBytes;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failover as the prober sees it, on real servers: a primary crashes, one of its two standbys is
 * promoted, and the old primary comes back still accepting writes, the other standby streaming
 * from it again. The local environment's cluster must stay whole for the other tests, so this one
 * runs on throwaway servers; the prober, its breakers and the cluster's decisions are the router's own.
 */
@QuarkusTest
class FailoverTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ServerTls PREFER_TLS = ServerTls.parse("prefer", java.util.Optional.empty());
    /** A crashed server's breaker stays open for its reset timeout (30 s) before probes reach it again. */
    private static final Duration BREAKER_PATIENCE = Duration.ofSeconds(75);

    @Inject
    Vertx vertx;

    @Inject
    CircuitBreakers breakers;


    @Test
    void aPromotedStandbyTakesTheWritesAndTheOldPrimaryComingBackGetsNone() throws Exception {
        try (ThrowawayPostgres servers = ThrowawayPostgres.start(2)) {
            BackendCluster cluster = new BackendCluster(
                    BackendAddress.parse("failover-primary", ThrowawayPostgres.url(servers.primaryPort)),
                    List.of(BackendAddress.parse("failover-standby", ThrowawayPostgres.url(servers.standbyPorts[0])),
                            BackendAddress.parse("failover-follower", ThrowawayPostgres.url(servers.standbyPorts[1]))));
            BackendNode primary = cluster.nodes().get(0);
            BackendNode standby = cluster.nodes().get(1);
            // Never re-pointed: it goes on following whatever runs on the old primary's port.
            BackendNode follower = cluster.nodes().get(2);
            try (BackendProber prober = new BackendProber(vertx, cluster, FastProbe.SETTINGS, PREFER_TLS, breakers, () -> Long.MIN_VALUE)) {
                prober.start();
                await().atMost(PATIENCE).until(() -> standby.health() == BackendNode.Health.UP && primary.timeline() == 1
                        && follower.health() == BackendNode.Health.UP && follower.timeline() == 1);
                assertSame(primary, cluster.writer());
                assertFalse(standby.acceptsWrites());

                servers.crashPrimary();
                await().atMost(PATIENCE).until(() -> primary.health() == BackendNode.Health.DOWN);
                assertSame(primary, cluster.writer(), "with no other server accepting writes the primary stays the writer");

                servers.promoteStandby(0);
                await().atMost(PATIENCE).until(() -> cluster.writer() == standby);
                assertEquals(2, standby.timeline());

                servers.startPrimary();
                await().atMost(BREAKER_PATIENCE).until(() -> primary.health() == BackendNode.Health.UP && primary.acceptsWrites());
                assertEquals(1, primary.timeline());
                assertSame(standby, cluster.writer(), "the old primary's timeline is older: no writes go back to it");
                assertTrue(cluster.fenced(primary));
                TargetSelector selector = new TargetSelector(cluster, Consistency.EVENTUAL, 1 << 20, Duration.ofSeconds(5), 0,
                        () -> true, node -> false, new WriteLedger());
                // The follower streams the old primary's timeline again: its positions belong to a forked history.
                await().atMost(PATIENCE).until(() -> follower.timeline() == 1 && follower.health() == BackendNode.Health.UP);
                assertFalse(selector.eligible(follower, standby, 0));
                for (int i = 0; i < 20; i++) {
                    assertSame(standby, selector.forRead("role:postgres", Set.of()), "no reads from either: their data has forked");
                }
                connectionsToAFencedServerAreClosed(primary);
            }
        }
    }

    @Test
    void aStandbyCutOffFromItsPrimaryLagsByTheTimeThePrimaryHasGoneOnWithoutIt() throws Exception {
        try (ThrowawayPostgres servers = ThrowawayPostgres.start(1)) {
            BackendCluster cluster = new BackendCluster(
                    BackendAddress.parse("cutoff-primary", ThrowawayPostgres.url(servers.primaryPort)),
                    List.of(BackendAddress.parse("cutoff-standby", ThrowawayPostgres.url(servers.standbyPorts[0]))));
            BackendNode primary = cluster.nodes().get(0);
            BackendNode standby = cluster.nodes().get(1);
            TargetSelector selector = new TargetSelector(cluster, Consistency.EVENTUAL, 1L << 30, Duration.ofSeconds(1), 0,
                    () -> true, node -> false, new WriteLedger());
            try (BackendProber prober = new BackendProber(vertx, cluster, FastProbe.SETTINGS, PREFER_TLS, breakers, () -> Long.MIN_VALUE)) {
                prober.start();
                await().atMost(PATIENCE).until(() -> standby.health() == BackendNode.Health.UP && selector.eligible(standby, primary, 0));

                // Its WAL receiver loses the primary (as in a network partition); the standby itself stays up.
                try (Connection direct = LocalPostgres.connect("jdbc:postgresql://127.0.0.1:" + servers.standbyPorts[0] + "/postgres",
                        "postgres", "unused"); Statement statement = direct.createStatement()) {
                    statement.execute("ALTER SYSTEM SET primary_conninfo = 'host=127.0.0.1 port=1 user=postgres'");
                    statement.execute("SELECT pg_reload_conf()");
                }
                await().atMost(PATIENCE).until(() -> standby.timeline() == 0);
                try (Connection direct = LocalPostgres.connect("jdbc:postgresql://127.0.0.1:" + servers.primaryPort + "/postgres",
                        "postgres", "unused"); Statement statement = direct.createStatement()) {
                    statement.execute("CREATE TABLE written_after_the_cut AS SELECT 1 AS one");
                }

                // It has replayed all it received, so it reports no delay of its own; the primary's samples say otherwise.
                await().atMost(PATIENCE).until(() -> standby.lagSeconds() > 1.0);
                assertFalse(selector.eligible(standby, primary, 0));
                assertSame(primary, selector.forRead("role:postgres", Set.of()));
            }
        }
    }

    /**
     * What each event loop does with the verdict: a connection lent to a session (pinned, or in a
     * transaction) and an idle one, both to the fenced server, are closed.
     */
    private void connectionsToAFencedServerAreClosed(BackendNode fencedServer) throws Exception {
        Context loop = vertx.getOrCreateContext();
        CompletableFuture<List<ServerConnection>> opened = new CompletableFuture<>();
        BackendPool[] pool = new BackendPool[1];
        loop.runOnContext(v -> {
            pool[0] = new BackendPool(new BackendPool.Key(fencedServer, "postgres", "postgres"),
                    BackendCredentials.password("unused"), 2, new ServerConnector(vertx, 1 << 20, Duration.ofSeconds(5), PREFER_TLS, 200, new HeldBytes(1 << 26)),
                    vertx, Duration.ofSeconds(5), new PoolGauges());
            pool[0].acquire().compose(lent -> pool[0].acquire().map(idle -> {
                pool[0].release(idle);
                return List.of(lent, idle);
            })).onComplete(done -> {
                if (done.succeeded()) {
                    opened.complete(done.result());
                } else {
                    opened.completeExceptionally(done.cause());
                }
            });
        });
        List<ServerConnection> connections = opened.get(30, TimeUnit.SECONDS);
        assertFalse(connections.get(0).isClosed());

        loop.runOnContext(v -> pool[0].closeAll());

        await().atMost(PATIENCE).until(() -> connections.stream().allMatch(ServerConnection::isClosed));
        await().atMost(PATIENCE).until(() -> pool[0].open() == 0);
    }
}
