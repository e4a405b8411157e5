package dev.meridian.platform.flags;

import dev.meridian.platform.redis.RedisReplies;
import dev.meridian.platform.redis.StreamConsumer;
import dev.meridian.platform.redis.StreamEntry;
import dev.meridian.platform.redis.StreamTail;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The runtime flags of one instance. Reads are a volatile map lookup (safe on hot paths); changes
 * arrive from the Redis control stream, from the hash at every (re)connect, and from a periodic
 * reconcile. Writes go to Redis only, so every instance, this one included, learns of a change the
 * same way.
 *
 * <p>Plain class on purpose: tests build second instances against other Redis servers to show how
 * a newly started or cut-off instance behaves. {@link FlagsProducer} wires it into CDI.
 */
public final class RuntimeFlags implements AutoCloseable {

    static final String KIND_FLAG = "flag";

    private final Vertx vertx;
    private final Redis redis;
    private final Supplier<Redis> tailClients;
    private final FlagSettings settings;
    private final Clock clock;
    private final Consumer<FlagChanged> listener;
    private final CompletableFuture<Void> firstSync = new CompletableFuture<>();
    private final Map<String, String> reportedBadValues = new HashMap<>();

    private volatile Map<Flag, FlagValue> values;
    private volatile Instant lastSync;
    private StreamTail tail;
    private long reconcileTimer = -1;

    /**
     * @param redis       the shared client, for writes and reconciles
     * @param tailClients makes the unshared clients that follow the control stream
     * @param startValues the ENABLE_* values; flags missing here start on
     */
    public RuntimeFlags(Vertx vertx, Redis redis, Supplier<Redis> tailClients, FlagSettings settings,
            Map<Flag, Boolean> startValues, Clock clock, Consumer<FlagChanged> listener) {
        this.vertx = vertx;
        this.redis = redis;
        this.tailClients = tailClients;
        this.settings = settings;
        this.clock = clock;
        this.listener = listener;
        Map<Flag, FlagValue> initial = new EnumMap<>(Flag.class);
        Instant now = clock.instant();
        for (Flag flag : Flag.values()) {
            initial.put(flag, new FlagValue(startValues.getOrDefault(flag, true), FlagSource.ENVIRONMENT, now));
        }
        this.values = Collections.unmodifiableMap(initial);
    }

    /**
     * Starts following Redis. The returned Uni completes once the hash has been read the first
     * time; callers wait for it with a timeout and carry on with the start values if Redis is away.
     */
    public Uni<Void> start() {
        tail = new StreamTail(vertx, tailClients, settings.controlStream(), "0-0", new ControlConsumer(), settings.tail());
        tail.start();
        reconcileTimer = vertx.setPeriodic(settings.reconcileInterval().toMillis(), id -> reconcile());
        return Uni.createFrom().completionStage(firstSync);
    }

    public boolean isEnabled(Flag flag) {
        return values.get(flag).enabled();
    }

    public FlagValue value(Flag flag) {
        return values.get(flag);
    }

    /** Every flag's value in force on this instance. */
    public Map<Flag, FlagValue> snapshot() {
        return values;
    }

    public FlagSyncStatus status() {
        boolean connected = tail != null && tail.connected();
        Throwable failure = tail == null ? null : tail.lastFailure();
        String error = connected || failure == null ? null : String.valueOf(failure.getMessage());
        return new FlagSyncStatus(connected, lastSync, error);
    }

    /**
     * Sets a flag cluster-wide: the hash first (so instances that start later read it), then an
     * event on the control stream (so running instances apply it now). Should the second step fail,
     * the periodic reconcile still spreads the value from the hash.
     */
    public Uni<Void> set(Flag flag, boolean enabled, String actor) {
        String value = FlagValues.format(enabled);
        Request hset = Request.cmd(Command.HSET).arg(settings.hashKey()).arg(flag.key()).arg(value);
        Request xadd = Request.cmd(Command.XADD).arg(settings.controlStream())
                .arg("MAXLEN").arg("~").arg(settings.controlStreamMaxLen()).arg("*")
                .arg("kind").arg(KIND_FLAG).arg("flag").arg(flag.key()).arg("enabled").arg(value)
                .arg("actor").arg(actor == null ? "unknown" : actor)
                .arg("at").arg(clock.instant().toString());
        return redis.send(hset).chain(ignored -> redis.send(xadd)).replaceWithVoid();
    }

    @Override
    public void close() {
        if (reconcileTimer >= 0) {
            vertx.cancelTimer(reconcileTimer);
        }
        if (tail != null) {
            tail.close();
        }
    }

    private Uni<Void> readHash() {
        return redis.send(Request.cmd(Command.HGETALL).arg(settings.hashKey())).invoke(this::applyHash).replaceWithVoid();
    }

    private void reconcile() {
        readHash().subscribe().with(ok -> { }, err -> Log.debugf("flags reconcile failed: %s", err.toString()));
    }

    private void applyHash(Response hash) {
        lastSync = clock.instant();
        RedisReplies.toMap(hash).forEach((key, raw) -> {
            Optional<Flag> flag = Flag.byKey(key);
            Optional<Boolean> enabled = FlagValues.parse(raw);
            if (flag.isEmpty() || enabled.isEmpty()) {
                reportBadValueOnce(key, raw);
                return;
            }
            apply(flag.get(), enabled.get(), FlagSource.REDIS_HASH, null);
        });
    }

    private void applyEvent(StreamEntry entry) {
        if (!KIND_FLAG.equals(entry.field("kind"))) {
            return;
        }
        Optional<Flag> flag = Flag.byKey(String.valueOf(entry.field("flag")));
        Optional<Boolean> enabled = FlagValues.parse(entry.field("enabled"));
        if (flag.isEmpty() || enabled.isEmpty()) {
            Log.warnf("flags ignoring control event id=%s flag=%s enabled=%s", entry.id(), entry.field("flag"),
                    entry.field("enabled"));
            return;
        }
        apply(flag.get(), enabled.get(), FlagSource.CONTROL_STREAM, entry.field("actor"));
    }

    private synchronized void apply(Flag flag, boolean enabled, FlagSource source, String actor) {
        if (values.get(flag).enabled() == enabled) {
            return;
        }
        Map<Flag, FlagValue> next = new EnumMap<>(values);
        next.put(flag, new FlagValue(enabled, source, clock.instant()));
        values = Collections.unmodifiableMap(next);
        Log.infof("flag=%s enabled=%s source=%s actor=%s", flag.key(), enabled, source, actor);
        try {
            listener.accept(new FlagChanged(flag, enabled, source, actor));
        } catch (RuntimeException e) {
            Log.warnf("flag=%s change listener failed: %s", flag.key(), e.toString());
        }
    }

    private synchronized void reportBadValueOnce(String key, String raw) {
        if (!raw.equals(reportedBadValues.put(key, raw))) {
            Log.warnf("flags ignoring %s field %s=%s: not a known flag or not a boolean", settings.hashKey(), key, raw);
        }
    }

    /**
     * On every (re)connect: note the control stream's end, then read the hash, then follow the
     * stream from that end. A change made in between is in the hash and its event is read again;
     * applying it twice is harmless. Replaying events missed during an outage is not needed: the
     * hash already holds their outcome.
     */
    private final class ControlConsumer implements StreamConsumer {
        @Override
        public Uni<String> onConnected(Redis client, String lastDelivered) {
            return StreamTail.lastId(client, settings.controlStream())
                    .call(ignored -> readHash())
                    .invoke(ignored -> firstSync.complete(null));
        }

        @Override
        public void onEntry(StreamEntry entry) {
            applyEvent(entry);
        }
    }
}
