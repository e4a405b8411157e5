package dev.meridian.router.proxy;

import dev.meridian.router.config.RouterConfig;
import dev.meridian.router.pool.ServerConnector;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The PostgreSQL wire listener on one event loop. Every listener binds the same port (Vert.x
 * spreads accepted connections over them); each has its own pools, so a client's session and
 * its server connections share a thread.
 */
final class RouterListener extends AbstractVerticle {

    private static final long FENCE_CHECK_MILLIS = 500;

    private final RouterRuntime runtime;
    /** Touched on this listener's event loop only. */
    private final Set<ClientSession> sessions = new HashSet<>();
    private NetServer server;
    private LoopPools pools;
    private long evictTimer = -1;
    private long fenceTimer = -1;

    RouterListener(RouterRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void start(Promise<Void> started) {
        RouterConfig config = runtime.config();
        ServerConnector connector = new ServerConnector(vertx, config.listen().maxMessageBytes(), config.pool().connectTimeout(),
                runtime.serverTls(), config.pool().maxPreparedStatements(), runtime.heldBytes());
        int perLoop = Math.max(1, (config.pool().size() + runtime.loops() - 1) / runtime.loops());
        pools = new LoopPools(vertx, connector, perLoop, config.pool().acquireTimeout(), runtime.metrics()::pool);
        long every = Math.max(1000, Math.min(config.pool().idleTimeout().toMillis() / 2, 30_000));
        evictTimer = vertx.setPeriodic(every, id -> pools.evict(config.pool().idleTimeout(), config.pool().maxLifetime()));
        // Sessions pinned to a server that another has superseded as writer would go on writing to
        // it: within a second of the prober's verdict they lose it and reconnect to the new writer.
        fenceTimer = vertx.setPeriodic(FENCE_CHECK_MILLIS, id -> pools.closeConnectionsTo(runtime.cluster()::fenced));
        NetServerOptions options = new NetServerOptions().setTcpNoDelay(true).setTcpKeepAlive(true)
                .setHost(config.listen().host()).setPort(config.listen().port());
        if (config.listen().tlsCertificate().isPresent()) {
            // TLS starts per connection, after SSLRequest: the listener itself stays plain.
            options.setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions()
                    .setCertPath(config.listen().tlsCertificate().get().toString())
                    .setKeyPath(config.listen().tlsKey().orElseThrow(() ->
                            new IllegalArgumentException("meridian.router.listen.tls-certificate needs tls-key")).toString()));
        }
        server = vertx.createNetServer(options);
        server.connectHandler(socket -> new ClientSession(runtime, pools, socket, sessions).start());
        server.listen().<Void>mapEmpty().onComplete(started);
    }

    /** At the start of the drain: every client between transactions is let go at once, the others as their transactions end. */
    void endSessionsBetweenTransactions() {
        context.runOnContext(v -> List.copyOf(sessions).forEach(ClientSession::endIfDraining));
    }

    /** At the end of the drain: every client left, in a transaction or still logging in. */
    Future<Void> endAllSessions() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            List.copyOf(sessions).forEach(ClientSession::endNow);
            done.complete();
        });
        return done.future();
    }

    @Override
    public void stop() {
        vertx.cancelTimer(evictTimer);
        vertx.cancelTimer(fenceTimer);
        if (server != null) {
            server.close();
        }
    }
}
