package dev.meridian.ratelimit.store;

import dev.meridian.platform.redis.LuaScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counters in Redis: all checks of a request that live on one node go in one {@code EVALSHA}
 * (loaded with {@code EVAL} on {@code NOSCRIPT}). On Redis Cluster, checks are grouped by slot; a
 * descriptor's keys share a hash tag, so its limits are always evaluated together. Calls made in
 * the same event-loop turn travel to Redis together ({@link ScriptBatcher}).
 */
public final class RedisCounterStore implements CounterStore, AutoCloseable {

    private static final LuaScript SCRIPT = LuaScript.fromResource(RedisCounterStore.class, "ratelimit.lua");

    private final EventLoopRedis redis;
    private final ScriptBatcher batcher;
    private final boolean cluster;
    private final String prefix;

    /** @param timeout how long Redis may take to answer a batch before its calls fail with a TimeoutException */
    public RedisCounterStore(EventLoopRedis redis, boolean cluster, String prefix, Duration timeout) {
        this.redis = redis;
        this.batcher = new ScriptBatcher(redis, SCRIPT, timeout);
        this.cluster = cluster;
        this.prefix = prefix;
    }

    @Override
    public Uni<List<LimitOutcome>> apply(List<LimitCheck> checks) {
        if (checks.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<Integer, List<Integer>> batches = batches(checks);
        if (batches.size() == 1) {
            Map.Entry<Integer, List<Integer>> only = batches.entrySet().iterator().next();
            return run(checks, only.getKey(), only.getValue());
        }
        LimitOutcome[] outcomes = new LimitOutcome[checks.size()];
        List<Uni<Void>> calls = new ArrayList<>();
        for (Map.Entry<Integer, List<Integer>> slotBatch : batches.entrySet()) {
            List<Integer> batch = slotBatch.getValue();
            calls.add(run(checks, slotBatch.getKey(), batch).invoke(results -> {
                for (int i = 0; i < batch.size(); i++) {
                    outcomes[batch.get(i)] = results.get(i);
                }
            }).replaceWithVoid());
        }
        return Uni.combine().all().unis(calls).discardItems().map(ignored -> Arrays.asList(outcomes));
    }

    @Override
    public void close() {
        redis.close();
    }

    @Override
    public String kind() {
        return cluster ? "redis-cluster" : "redis";
    }

    private Map<Integer, List<Integer>> batches(List<LimitCheck> checks) {
        Map<Integer, List<Integer>> batches = new LinkedHashMap<>();
        for (int i = 0; i < checks.size(); i++) {
            int slot = cluster ? ClusterSlots.slot(checks.get(i).key()) : 0;
            batches.computeIfAbsent(slot, s -> new ArrayList<>()).add(i);
        }
        return batches;
    }

    private Uni<List<LimitOutcome>> run(List<LimitCheck> checks, int slot, List<Integer> batch) {
        List<String> keysAndArgs = new ArrayList<>(batch.size() * 6);
        for (int index : batch) {
            keysAndArgs.add(prefix + checks.get(index).key());
        }
        for (int index : batch) {
            LimitCheck check = checks.get(index);
            keysAndArgs.add(code(check));
            keysAndArgs.add(Long.toString(check.limit()));
            keysAndArgs.add(Long.toString(check.windowMillis()));
            keysAndArgs.add(Long.toString(check.hits()));
            keysAndArgs.add(Integer.toString(check.group()));
        }
        return batcher.run(slot, batch.size(), keysAndArgs).map(reply -> parse(reply, batch.size()));
    }

    private static List<LimitOutcome> parse(Response reply, int expected) {
        if (reply == null || reply.size() != expected) {
            throw new IllegalStateException("rate-limit script returned " + (reply == null ? "nothing" : reply.size() + " results")
                    + " for " + expected + " limits");
        }
        LimitOutcome[] outcomes = new LimitOutcome[expected];
        for (int i = 0; i < expected; i++) {
            Response row = reply.get(i);
            outcomes[i] = new LimitOutcome(row.get(0).toLong() == 1, row.get(1).toLong(), row.get(2).toLong(), row.get(3).toLong());
        }
        return Arrays.asList(outcomes);
    }

    private static String code(LimitCheck check) {
        return switch (check.algorithm()) {
            case FIXED_WINDOW -> "f";
            case SLIDING_WINDOW -> "s";
            case TOKEN_BUCKET -> "t";
        };
    }
}
