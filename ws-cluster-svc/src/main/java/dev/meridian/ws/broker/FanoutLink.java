package dev.meridian.ws.broker;

import dev.meridian.platform.redis.Backoff;
import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The node's pub/sub connection: subscribed to the fan-out channel of every channel that has local
 * subscribers. When the connection drops (Redis restart, network, or Redis cutting a subscriber
 * that fell behind while this node was frozen) it reconnects with backoff, subscribes again, and
 * reports the relink so channels check their positions against the streams.
 */
final class FanoutLink {

    private final Vertx vertx;
    private final RedisOptions options;
    private final BiConsumer<String, String> onMessage;
    private final Runnable onRelinked;
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final Backoff backoff = Backoff.standard();

    private volatile RedisConnection connection;
    private volatile boolean closed;
    private Redis client;
    private int attempt;

    FanoutLink(Vertx vertx, RedisOptions options, BiConsumer<String, String> onMessage, Runnable onRelinked) {
        this.vertx = vertx;
        this.options = options;
        this.onMessage = onMessage;
        this.onRelinked = onRelinked;
    }

    void start() {
        connect(false);
    }

    boolean connected() {
        return connection != null;
    }

    Future<Void> subscribe(String fanout) {
        wanted.add(fanout);
        RedisConnection current = connection;
        if (current == null) {
            return Future.failedFuture(new IllegalStateException("the fan-out link to Redis is down"));
        }
        return current.send(Request.cmd(Command.SUBSCRIBE).arg(fanout)).mapEmpty();
    }

    Future<Void> unsubscribe(String fanout) {
        wanted.remove(fanout);
        RedisConnection current = connection;
        return current == null ? Future.succeededFuture() : current.send(Request.cmd(Command.UNSUBSCRIBE).arg(fanout)).mapEmpty();
    }

    private void connect(boolean relink) {
        if (closed) {
            return;
        }
        client = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(1));
        client.connect().onSuccess(conn -> {
            conn.handler(this::onResponse);
            conn.exceptionHandler(e -> lost(conn, e));
            conn.endHandler(v -> lost(conn, null));
            resubscribe(conn).onSuccess(v -> {
                attempt = 0;
                connection = conn;
                if (relink) {
                    Log.infof("fan-out link to Redis back channels=%d", wanted.size());
                }
                onRelinked.run();
            }).onFailure(e -> lost(conn, e));
        }).onFailure(e -> retry(e));
    }

    private Future<Void> resubscribe(RedisConnection conn) {
        if (wanted.isEmpty()) {
            return Future.succeededFuture();
        }
        Request request = Request.cmd(Command.SUBSCRIBE);
        wanted.forEach(request::arg);
        return conn.send(request).mapEmpty();
    }

    private void lost(RedisConnection conn, Throwable cause) {
        if (connection != conn && connection != null) {
            return;
        }
        connection = null;
        conn.close();
        if (!closed) {
            Log.warnf("fan-out link to Redis lost: %s", cause == null ? "closed" : cause.getMessage());
            retry(cause);
        }
    }

    private void retry(Throwable cause) {
        if (client != null) {
            client.close();
        }
        if (closed) {
            return;
        }
        long delay = backoff.delay(attempt++, java.util.concurrent.ThreadLocalRandom.current()::nextDouble).toMillis();
        vertx.setTimer(Math.max(1, delay), id -> connect(true));
    }

    private void onResponse(Response response) {
        // Pushes are ["message", channel, payload]; subscribe confirmations are ["subscribe", channel, count].
        if (response == null || response.size() < 3 || !"message".equals(response.get(0).toString())) {
            return;
        }
        onMessage.accept(response.get(1).toString(), response.get(2).toString());
    }

    void close() {
        closed = true;
        RedisConnection current = connection;
        connection = null;
        if (current != null) {
            current.close();
        }
        if (client != null) {
            client.close();
        }
    }
}
