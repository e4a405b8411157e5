package dev.meridian.router.proxy;

import dev.meridian.router.auth.BackendCredentials;
import dev.meridian.router.pool.BackendPool;
import dev.meridian.router.pool.PoolGauges;
import dev.meridian.router.pool.ServerConnector;
import dev.meridian.router.probe.BackendNode;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One event loop's pools, by backend, database and role. Client sessions and their server
 * connections live on the same loop, so a query never changes threads inside the router.
 */
final class LoopPools {

    private final Vertx vertx;
    private final ServerConnector connector;
    private final int sizePerLoop;
    private final Duration acquireTimeout;
    private final Function<BackendNode, PoolGauges> gauges;
    private final Map<BackendPool.Key, BackendPool> pools = new HashMap<>();
    private final Map<String, Map<String, String>> parameters = new HashMap<>();

    LoopPools(Vertx vertx, ServerConnector connector, int sizePerLoop, Duration acquireTimeout,
              Function<BackendNode, PoolGauges> gauges) {
        this.vertx = vertx;
        this.connector = connector;
        this.sizePerLoop = sizePerLoop;
        this.acquireTimeout = acquireTimeout;
        this.gauges = gauges;
    }

    BackendPool pool(BackendNode node, String database, String user, BackendCredentials credentials) {
        BackendPool pool = pools.computeIfAbsent(new BackendPool.Key(node, database, user), key ->
                new BackendPool(key, credentials, sizePerLoop, connector, vertx, acquireTimeout, gauges.apply(node)));
        pool.useCredentials(credentials);
        return pool;
    }

    /** The ParameterStatus values a backend reported for this database and role, once one logged in. */
    Map<String, String> parameters(String database, String user) {
        return parameters.get(database + "\0" + user);
    }

    void rememberParameters(String database, String user, Map<String, String> values) {
        parameters.put(database + "\0" + user, values);
    }

    void evict(Duration idleTimeout, Duration maxLifetime) {
        long now = System.nanoTime();
        pools.values().forEach(pool -> pool.evict(now, idleTimeout, maxLifetime));
    }

    /** Closes this loop's connections to every backend {@code fenced} says must not be written to. */
    void closeConnectionsTo(Predicate<BackendNode> fenced) {
        pools.values().stream().filter(pool -> fenced.test(pool.key().node())).forEach(BackendPool::closeAll);
    }

    ServerConnector connector() {
        return connector;
    }
}
