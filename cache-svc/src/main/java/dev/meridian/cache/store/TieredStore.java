package dev.meridian.cache.store;

import dev.meridian.platform.breaker.Breaker;
import dev.meridian.platform.redis.StreamConsumer;
import dev.meridian.platform.redis.StreamEntry;
import dev.meridian.platform.redis.StreamTail;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * L1 in front of the shared L2. Reads fill L1 from L2; writes go to both; purges apply to both and
 * are broadcast on a Redis stream so every other instance drops (or marks stale) its L1 copies
 * within the stream's latency. Without Redis, or while its breaker is open, L1 serves alone.
 */
public final class TieredStore implements StreamConsumer, AutoCloseable {

    private final L1Store l1;
    private final RedisStore l2;
    private final Breaker breaker;
    private final String stream;
    private final String instance = UUID.randomUUID().toString();
    private final AtomicLong l2Errors = new AtomicLong();
    private StreamTail tail;

    public TieredStore(L1Store l1, RedisStore l2, Breaker breaker, String stream) {
        this.l1 = l1;
        this.l2 = l2;
        this.breaker = breaker;
        this.stream = stream;
    }

    public void follow(StreamTail tail) {
        this.tail = tail;
        tail.start();
    }

    public L1Store l1() {
        return l1;
    }

    public boolean sharedTier() {
        return l2 != null;
    }

    /** L1, else L2 (whose hit is then kept in L1 for as long as {@code remainingMillis} says it is of use). */
    public Future<CachedItem> get(String key, java.util.function.ToLongFunction<CachedItem> remainingMillis) {
        CachedItem local = l1.get(key);
        if (local != null || l2 == null) {
            return Future.succeededFuture(local);
        }
        return guarded(() -> l2.get(key)).otherwise(e -> null).onSuccess(shared -> {
            if (shared != null) {
                List<String> tags = shared instanceof CachedItem.Response r ? r.response().tags() : List.of();
                l1.put(key, shared, remainingMillis.applyAsLong(shared), tags);
            }
        });
    }

    public void put(String key, CachedItem item, long ttlMillis, List<String> tags) {
        l1.put(key, item, ttlMillis, tags);
        if (l2 != null) {
            guarded(() -> l2.put(key, item, ttlMillis, tags)).onFailure(e -> Log.debugf("L2 write failed: %s", e.getMessage()));
        }
    }

    /** Applies a purge to both tiers and tells the other instances; returns the entries affected here and in L2. */
    public Future<Integer> purge(Purge purge) {
        int local = applyLocally(purge);
        if (l2 == null) {
            return Future.succeededFuture(local);
        }
        List<Future<Integer>> shared = new ArrayList<>();
        for (String url : purge.urls()) {
            String target = CacheKeys.purgeTarget(url);
            String scanFrom = target.endsWith("|") ? target : target.substring(0, target.indexOf('|') + 1);
            shared.add(l2.keysStartingWith(scanFrom).compose(keys ->
                    l2.purge(keys.stream().filter(k -> CacheKeys.matchesTarget(k, target)).toList(), purge.soft(), null)));
        }
        for (String prefix : purge.prefixes()) {
            shared.add(l2.keysStartingWith(prefix).compose(keys -> l2.purge(keys, purge.soft(), null)));
        }
        for (String tag : purge.tags()) {
            shared.add(l2.keysTagged(tag).compose(keys -> l2.purge(keys, purge.soft(), tag)));
        }
        Future<Integer> counted = Future.all(shared).map(all -> {
            int count = 0;
            for (int i = 0; i < all.size(); i++) {
                count += all.<Integer>resultAt(i);
            }
            return count;
        });
        return counted.compose(count -> broadcast(purge).map(v -> Math.max(count, local)));
    }

    private Future<Void> broadcast(Purge purge) {
        List<Future<?>> sent = new ArrayList<>();
        purge.urls().forEach(url -> sent.add(publish("url", url, purge.soft())));
        purge.prefixes().forEach(prefix -> sent.add(publish("prefix", prefix, purge.soft())));
        purge.tags().forEach(tag -> sent.add(publish("tag", tag, purge.soft())));
        return Future.all(sent).mapEmpty();
    }

    private Future<?> publish(String kind, String target, boolean soft) {
        return l2.client().send(Request.cmd(Command.XADD).arg(stream).arg("MAXLEN").arg("~").arg(10_000).arg("*")
                .arg("kind").arg(kind).arg("target").arg(target).arg("soft").arg(String.valueOf(soft)).arg("origin").arg(instance));
    }

    private int applyLocally(Purge purge) {
        int count = 0;
        for (String url : purge.urls()) {
            String target = CacheKeys.purgeTarget(url);
            count += l1.purge(key -> CacheKeys.matchesTarget(key, target), purge.soft());
        }
        for (String prefix : purge.prefixes()) {
            count += l1.purge(key -> key.startsWith(prefix), purge.soft());
        }
        for (String tag : purge.tags()) {
            count += l1.purgeTag(tag, purge.soft());
        }
        return count;
    }

    @Override
    public void onEntry(StreamEntry entry) {
        if (instance.equals(entry.field("origin"))) {
            return;
        }
        String target = entry.field("target");
        boolean soft = Boolean.parseBoolean(entry.field("soft"));
        switch (String.valueOf(entry.field("kind"))) {
            case "url" -> applyLocally(new Purge(List.of(target), null, null, soft));
            case "prefix" -> applyLocally(new Purge(null, List.of(target), null, soft));
            case "tag" -> applyLocally(new Purge(null, null, List.of(target), soft));
            default -> Log.debugf("unknown invalidation kind %s", entry.field("kind"));
        }
    }

    public boolean following() {
        return tail != null && tail.connected();
    }

    public Future<java.util.Map<String, Object>> l2Stats() {
        return l2 == null ? Future.failedFuture("no shared tier") : guarded(l2::stats);
    }

    public long l2Errors() {
        return l2Errors.get();
    }

    private <T> Future<T> guarded(java.util.function.Supplier<Future<T>> call) {
        Uni<T> uni = breaker.call(() -> Uni.createFrom().completionStage(() -> call.get().toCompletionStage()));
        // Back on the caller's event loop: the edge answers its request from there.
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        var stage = uni.subscribeAsCompletionStage();
        Future<T> result = context == null ? Future.fromCompletionStage(stage) : Future.fromCompletionStage(stage, context);
        return result.onFailure(e -> l2Errors.incrementAndGet());
    }

    @Override
    public void close() {
        if (tail != null) {
            tail.close();
        }
    }
}
