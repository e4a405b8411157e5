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
import java.util.function.Supplier;

/**
 * Follows one Redis stream with {@code XREAD BLOCK} on a client of its own and hands every entry,
 * in order, to a {@link StreamConsumer}. When Redis goes away it backs off, reconnects and resumes
 * after the last delivered id (or wherever the consumer's {@code onConnected} says), so a restart of
 * Redis or of the network costs latency, not entries.
 *
 * <p>The client is made afresh for every connection and closed with it: a blocked XREAD must never
 * go back into a shared pool, where the next command would queue behind it.
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
    private final Supplier<Redis> clients;
    private final String stream;
    private final StreamConsumer consumer;
    private final Options options;

    private volatile boolean closed;
    private volatile boolean connected;
    private volatile String position;
    private volatile Throwable lastFailure;
    private Redis client;
    private RedisConnection connection;
    private int failuresInARow;
    private int generation;

    /**
     * @param clients makes a new, unshared client to the stream's Redis (e.g. {@code Redis.createClient(vertx, uri)})
     * @param from    an entry id to read after, or {@link #END}
     */
    public StreamTail(Vertx vertx, Supplier<Redis> clients, String stream, String from, StreamConsumer consumer,
            Options options) {
        this.vertx = vertx;
        this.clients = clients;
        this.stream = stream;
        this.position = from;
        this.consumer = consumer;
        this.options = options;
    }

    public void start() {
        connect();
    }

    public boolean connected() {
        return connected;
    }

    /** Why the last connection or read failed; {@code null} if none has. */
    public Throwable lastFailure() {
        return lastFailure;
    }

    @Override
    public synchronized void close() {
        closed = true;
        connected = false;
        dropConnection();
    }

    private synchronized void connect() {
        if (closed) {
            return;
        }
        // Every attempt has its own generation: late callbacks of an abandoned connection (its
        // exception handler and its failed read both report the same loss) are ignored.
        int attempt = ++generation;
        Redis fresh = clients.get();
        client = fresh;
        fresh.connect()
                .chain(conn -> {
                    connection = conn;
                    conn.exceptionHandler(cause -> onFailure(attempt, cause));
                    return resolve(fresh, position).chain(resolved -> consumer.onConnected(fresh, resolved));
                })
                .subscribe().with(start -> {
                    if (attempt != generation) {
                        return;
                    }
                    position = start;
                    connected = true;
                    failuresInARow = 0;
                    lastFailure = null;
                    readNext(attempt);
                }, cause -> onFailure(attempt, cause));
    }

    private Uni<String> resolve(Redis redis, String from) {
        if (!END.equals(from)) {
            return Uni.createFrom().item(from);
        }
        return lastId(redis, stream);
    }

    /** Id of the newest entry in {@code stream}, or {@code 0-0} when it is empty or missing. */
    public static Uni<String> lastId(Redis redis, String stream) {
        Request lastEntry = Request.cmd(Command.XREVRANGE).arg(stream).arg("+").arg("-").arg("COUNT").arg(1);
        return redis.send(lastEntry).map(reply -> reply == null || reply.size() == 0 ? "0-0" : reply.get(0).get(0).toString());
    }

    private void readNext(int attempt) {
        if (closed || attempt != generation || connection == null) {
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
                    if (attempt == generation) {
                        deliver(reply);
                        readNext(attempt);
                    }
                }, cause -> onFailure(attempt, cause));
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

    private synchronized void onFailure(int attempt, Throwable cause) {
        if (closed || attempt != generation) {
            return;
        }
        generation++;
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
        Redis current = client;
        connection = null;
        client = null;
        if (current != null) {
            // Closing the client closes its sockets, which also ends a pending blocking read.
            current.close();
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
