package dev.meridian.platform.redis;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Follows one Redis stream with {@code XREAD BLOCK} on a connection of its own and hands every entry,
 * in order, to a {@link StreamConsumer}. When Redis goes away it backs off, reconnects and resumes
 * after the last delivered id (or wherever the consumer's {@code onConnected} says), so a restart of
 * Redis or of the network costs latency, not entries.
 *
 * <p>{@link #END} ({@code $}) is resolved to the stream's current last id on the first connect, so a
 * later reconnect does not skip what arrived in between.
 */
public final class StreamTail implements AutoCloseable {

    /** Start after whatever the stream holds now. */
    public static final String END = "$";

    /**
     * How a tail reads.
     *
     * @param block   how long one XREAD waits for new entries
     * @param batch   entries per XREAD at most
     * @param backoff reconnect pacing
     */
    public record Options(Duration block, int batch, Backoff backoff) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(2), 100, Backoff.standard());
        }
    }

    private static final Duration READ_GRACE = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final Redis redis;
    private final String stream;
    private final StreamConsumer consumer;
    private final Options options;

    private volatile boolean closed;
    private volatile boolean connected;
    private volatile String position;
    private volatile Throwable lastFailure;
    private RedisConnection connection;
    private int failuresInARow;

    public StreamTail(Vertx vertx, Redis redis, String stream, String from, StreamConsumer consumer, Options options) {
        this.vertx = vertx;
        this.redis = redis;
        this.stream = stream;
        this.position = from;
        this.consumer = consumer;
        this.options = options;
    }

    public void start() {
        connect();
    }

    /** Id of the last entry delivered, or the start position before any delivery. */
    public String position() {
        return position;
    }

    public boolean connected() {
        return connected;
    }

    /** Why the last connection or read failed; {@code null} if none has. */
    public Throwable lastFailure() {
        return lastFailure;
    }

    @Override
    public void close() {
        closed = true;
        connected = false;
        dropConnection();
    }

    private void connect() {
        if (closed) {
            return;
        }
        redis.connect()
                .chain(conn -> {
                    connection = conn;
                    conn.exceptionHandler(this::onFailure);
                    return resolve(position).chain(resolved -> consumer.onConnected(redis, resolved));
                })
                .subscribe().with(start -> {
                    position = start;
                    connected = true;
                    failuresInARow = 0;
                    lastFailure = null;
                    readNext();
                }, this::onFailure);
    }

    private Uni<String> resolve(String from) {
        if (!END.equals(from)) {
            return Uni.createFrom().item(from);
        }
        Request lastEntry = Request.cmd(Command.XREVRANGE).arg(stream).arg("+").arg("-").arg("COUNT").arg(1);
        return redis.send(lastEntry).map(reply -> reply == null || reply.size() == 0 ? "0-0" : reply.get(0).get(0).toString());
    }

    private void readNext() {
        if (closed || connection == null) {
            return;
        }
        Request read = Request.cmd(Command.XREAD)
                .arg("COUNT").arg(options.batch())
                .arg("BLOCK").arg(options.block().toMillis())
                .arg("STREAMS").arg(stream).arg(position);
        connection.send(read)
                .ifNoItem().after(options.block().plus(READ_GRACE))
                .failWith(() -> new StreamReadTimeoutException(stream, options.block().plus(READ_GRACE)))
                .subscribe().with(reply -> {
                    deliver(reply);
                    readNext();
                }, this::onFailure);
    }

    private void deliver(Response reply) {
        for (StreamEntry entry : parseXread(reply, stream)) {
            position = entry.id();
            try {
                consumer.onEntry(entry);
            } catch (RuntimeException e) {
                // One entry a consumer cannot handle must not stop the stream for every later entry.
                Log.warnf("stream=%s id=%s consumer failed: %s", stream, entry.id(), e.toString());
            }
        }
    }

    private void onFailure(Throwable cause) {
        if (closed) {
            return;
        }
        boolean wasConnected = connected;
        connected = false;
        lastFailure = cause;
        dropConnection();
        Duration delay = options.backoff().delay(failuresInARow++, ThreadLocalRandom.current()::nextDouble);
        if (wasConnected || failuresInARow == 1) {
            Log.warnf("stream=%s redis unavailable, retrying in %d ms: %s", stream, delay.toMillis(), cause.toString());
        }
        try {
            consumer.onDisconnected(cause);
        } finally {
            vertx.setTimer(delay.toMillis(), id -> connect());
        }
    }

    private void dropConnection() {
        RedisConnection current = connection;
        connection = null;
        if (current != null) {
            current.close().subscribe().with(ok -> { }, err -> { });
        }
    }

    /**
     * Entries of {@code stream} in an XREAD reply. RESP3 answers with a map keyed by stream name,
     * RESP2 with an array of [name, entries] pairs; both are accepted.
     */
    static List<StreamEntry> parseXread(Response reply, String stream) {
        if (reply == null) {
            return List.of();
        }
        Response entries = null;
        if (reply.getDelegate().isMap()) {
            entries = reply.get(stream);
        } else {
            for (Response pair : reply) {
                if (stream.equals(pair.get(0).toString())) {
                    entries = pair.get(1);
                }
            }
        }
        if (entries == null) {
            return List.of();
        }
        List<StreamEntry> parsed = new ArrayList<>(entries.size());
        for (Response entry : entries) {
            parsed.add(new StreamEntry(entry.get(0).toString(), RedisReplies.toMap(entry.get(1))));
        }
        return parsed;
    }
}
