package dev.meridian.cache.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The in-process tier: Caffeine bounded in bytes, each entry expiring when it is of no more use. */
public final class L1Store {

    private record Slot(CachedItem item, long ttlNanos, int weight, List<String> tags) {
    }

    private final Cache<String, Slot> cache;
    private final ConcurrentMap<String, Set<String>> byTag = new ConcurrentHashMap<>();

    public L1Store(long maxBytes) {
        cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String key, Slot slot) -> slot.weight)
                .expireAfter(new Expiry<String, Slot>() {
                    @Override
                    public long expireAfterCreate(String key, Slot slot, long now) {
                        return slot.ttlNanos;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Slot slot, long now, long current) {
                        return slot.ttlNanos;
                    }

                    @Override
                    public long expireAfterRead(String key, Slot slot, long now, long current) {
                        return current;
                    }
                })
                .removalListener((String key, Slot slot, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    // A replaced slot's key stays tagged: put() has already (re)registered it.
                    if (key != null && slot != null && cause != com.github.benmanes.caffeine.cache.RemovalCause.REPLACED) {
                        slot.tags.forEach(tag -> byTag.computeIfPresent(tag, (t, keys) -> {
                            keys.remove(key);
                            return keys.isEmpty() ? null : keys;
                        }));
                    }
                })
                .build();
    }

    public CachedItem get(String key) {
        Slot slot = cache.getIfPresent(key);
        return slot == null ? null : slot.item;
    }

    public void put(String key, CachedItem item, long ttlMillis, List<String> tags) {
        if (ttlMillis <= 0) {
            return;
        }
        int weight = item instanceof CachedItem.Response r ? r.response().weight() : 64 + key.length() * 2;
        tags.forEach(tag -> byTag.computeIfAbsent(tag, t -> ConcurrentHashMap.newKeySet()).add(key));
        cache.put(key, new Slot(item, TimeUnit.MILLISECONDS.toNanos(ttlMillis), weight, List.copyOf(tags)));
    }

    /** Removes (hard) or marks stale (soft) the keys matching; returns how many. */
    public int purge(Predicate<String> keys, boolean soft) {
        int count = 0;
        for (String key : List.copyOf(cache.asMap().keySet())) {
            if (keys.test(key) && apply(key, soft)) {
                count++;
            }
        }
        return count;
    }

    public int purgeTag(String tag, boolean soft) {
        Set<String> keys = byTag.get(tag);
        if (keys == null) {
            return 0;
        }
        int count = 0;
        for (String key : List.copyOf(keys)) {
            if (apply(key, soft)) {
                count++;
            }
        }
        return count;
    }

    private boolean apply(String key, boolean soft) {
        if (!soft) {
            return cache.asMap().remove(key) != null;
        }
        Slot slot = cache.getIfPresent(key);
        if (slot == null || !(slot.item instanceof CachedItem.Response r)) {
            return false;
        }
        cache.put(key, new Slot(new CachedItem.Response(r.response().markInvalidated()), slot.ttlNanos, slot.weight, slot.tags));
        return true;
    }

    public long entries() {
        return cache.estimatedSize();
    }

    public long bytes() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    public void clear() {
        cache.invalidateAll();
    }
}
