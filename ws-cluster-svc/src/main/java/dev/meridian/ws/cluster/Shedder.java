package dev.meridian.ws.cluster;

import dev.meridian.ws.protocol.Disconnect;
import dev.meridian.ws.session.Gateway;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closes connections in paced batches with reconnect advice, so their clients come back spread over
 * time (and, behind a load balancer, over the other nodes) instead of as a thundering herd. Drain
 * sheds everything and keeps the node closed to new connections; rebalance sheds the excess.
 */
public final class Shedder {

    private final Vertx vertx;
    private final Gateway gateway;
    private volatile boolean draining;
    private volatile boolean shedding;

    public Shedder(Vertx vertx, Gateway gateway) {
        this.vertx = vertx;
        this.gateway = gateway;
    }

    /** Stops accepting connections and closes every open one with 3001 (shutdown, reconnect). */
    public int drain(int batch, Duration interval) {
        draining = true;
        int open = gateway.connections();
        Log.infof("drain started connections=%d batch=%d interval=%s", open, batch, interval);
        shed(Integer.MAX_VALUE, batch, interval, Disconnect.SHUTDOWN);
        return open;
    }

    /** Closes {@code count} connections with 3011 (force reconnect), unless a shed is already running. */
    public void rebalance(int count, int batch, Duration interval) {
        if (shedding || draining || count <= 0) {
            return;
        }
        Log.infof("rebalance: shedding connections=%d", count);
        shed(count, batch, interval, Disconnect.FORCE_RECONNECT);
    }

    private void shed(int count, int batch, Duration interval, Disconnect reason) {
        shedding = true;
        AtomicInteger left = new AtomicInteger(count);
        Runnable step = new Runnable() {
            @Override
            public void run() {
                int closed = gateway.disconnect(Math.min(Math.max(1, batch), left.get()), reason);
                if (closed == 0 || left.addAndGet(-closed) <= 0) {
                    shedding = false;
                    return;
                }
                vertx.setTimer(Math.max(1, interval.toMillis()), id -> run());
            }
        };
        vertx.runOnContext(v -> step.run());
    }

    public boolean draining() {
        return draining;
    }
}
