package dev.meridian.router.pool;

import dev.meridian.router.auth.BackendCredentials;
import dev.meridian.router.probe.BackendNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Server connections to one backend for one role and database, owned by one event loop: every
 * method runs on that loop, so there is no locking. Idle connections are reused newest first
 * (warm caches, and the oldest age out); clients beyond the size wait in order, up to a timeout.
 */
public final class BackendPool {

    /** Which connections: the backend, database and role. */
    public record Key(BackendNode node, String database, String user) {
    }

    private final Key key;
    private BackendCredentials credentials;
    private final int maxSize;
    private final ServerConnector connector;
    private final Vertx vertx;
    private final Duration acquireTimeout;
    private final PoolGauges gauges;
    private final ArrayDeque<ServerConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Promise<ServerConnection>> waiters = new ArrayDeque<>();
    /** Every open connection, lent or idle. */
    private final Set<ServerConnection> connections = new HashSet<>();
    private int open;

    public BackendPool(Key key, BackendCredentials credentials, int maxSize, ServerConnector connector, Vertx vertx,
                       Duration acquireTimeout, PoolGauges gauges) {
        this.key = key;
        this.credentials = credentials;
        this.maxSize = maxSize;
        this.connector = connector;
        this.vertx = vertx;
        this.acquireTimeout = acquireTimeout;
        this.gauges = gauges;
    }

    /**
     * What new server connections log in with from now on: the latest login's (after a password
     * rotation, the pool's first client's credentials would no longer open connections).
     */
    public void useCredentials(BackendCredentials latest) {
        credentials = latest;
    }

    public Key key() {
        return key;
    }

    public Future<ServerConnection> acquire() {
        while (!idle.isEmpty()) {
            ServerConnection connection = idle.pollLast();
            gauges.idle.decrementAndGet();
            if (!connection.isClosed()) {
                gauges.inUse.incrementAndGet();
                return Future.succeededFuture(connection);
            }
        }
        if (open < maxSize) {
            return openOne();
        }
        Promise<ServerConnection> waiter = Promise.promise();
        waiters.add(waiter);
        gauges.waiting.incrementAndGet();
        long timer = vertx.setTimer(acquireTimeout.toMillis(), id -> {
            if (waiters.remove(waiter)) {
                gauges.waiting.decrementAndGet();
                waiter.tryFail(new BackendError("08P01", "query_wait_timeout: no server connection to "
                        + key.node().name() + " within " + acquireTimeout.toMillis() + " ms"));
            }
        });
        return waiter.future().onComplete(done -> vertx.cancelTimer(timer));
    }

    private Future<ServerConnection> openOne() {
        open++;
        gauges.opening.incrementAndGet();
        return connector.connect(key.node(), key.database(), key.user(), credentials).map(connection -> {
            gauges.opening.decrementAndGet();
            gauges.inUse.incrementAndGet();
            connection.pool(this);
            connections.add(connection);
            return connection;
        }).onFailure(error -> {
            gauges.opening.decrementAndGet();
            open--;
            serveWaiter();
        });
    }

    /** Back from a client, ready for the next one (transaction idle, nothing in flight). */
    public void release(ServerConnection connection) {
        gauges.inUse.decrementAndGet();
        connection.released();
        if (connection.isClosed()) {
            return;
        }
        Promise<ServerConnection> waiter = waiters.poll();
        if (waiter != null) {
            gauges.waiting.decrementAndGet();
            gauges.inUse.incrementAndGet();
            waiter.complete(connection);
            return;
        }
        idle.addLast(connection);
        gauges.idle.incrementAndGet();
    }

    /** A lent connection that cannot be reused (client gone mid-query, pinned state): closed, its slot freed. */
    public void discard(ServerConnection connection) {
        gauges.inUse.decrementAndGet();
        connection.released();
        connection.close();
    }

    /** Called by the connection when its socket closes, lent or idle. */
    void closed(ServerConnection connection) {
        open--;
        connections.remove(connection);
        if (idle.remove(connection)) {
            gauges.idle.decrementAndGet();
        }
        serveWaiter();
    }

    private void serveWaiter() {
        if (!waiters.isEmpty() && open < maxSize) {
            Promise<ServerConnection> waiter = waiters.poll();
            gauges.waiting.decrementAndGet();
            openOne().onComplete(waiter);
        }
    }

    /** Closes idle connections past the idle timeout or the lifetime. */
    public void evict(long nowNanos, Duration idleTimeout, Duration maxLifetime) {
        Iterator<ServerConnection> it = idle.iterator();
        while (it.hasNext()) {
            ServerConnection connection = it.next();
            if (nowNanos - connection.releasedNanos() > idleTimeout.toNanos()
                    || nowNanos - connection.createdNanos() > maxLifetime.toNanos()) {
                it.remove();
                gauges.idle.decrementAndGet();
                connection.close();
            }
        }
    }

    /**
     * Closes every connection, lent ones too: the backend must no longer be written to (it was
     * fenced). A client whose transaction or session state lived there gets 08006 and reconnects;
     * one between transactions notices nothing.
     */
    public void closeAll() {
        List.copyOf(connections).forEach(ServerConnection::close);
    }

    public int open() {
        return open;
    }
}
