package dev.meridian.ratelimit.admin;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/** Over-limit hits per rule over the last five minutes, in one-minute buckets. */
final class RecentOverLimits {

    static final int MINUTES = 5;

    private record Buckets(AtomicLongArray counts, AtomicLongArray minutes) {
    }

    private final Map<String, Buckets> byRule = new ConcurrentHashMap<>();

    void add(String rule, long hits, long nowMillis) {
        long minute = nowMillis / 60_000;
        int slot = (int) (minute % MINUTES);
        Buckets buckets = byRule.computeIfAbsent(rule, r -> new Buckets(new AtomicLongArray(MINUTES), new AtomicLongArray(MINUTES)));
        synchronized (buckets) {
            if (buckets.minutes().get(slot) != minute) {
                buckets.minutes().set(slot, minute);
                buckets.counts().set(slot, 0);
            }
            buckets.counts().addAndGet(slot, hits);
        }
    }

    Map<String, Long> snapshot(long nowMillis) {
        long minute = nowMillis / 60_000;
        Map<String, Long> totals = new TreeMap<>();
        byRule.forEach((rule, buckets) -> {
            long total = 0;
            synchronized (buckets) {
                for (int i = 0; i < MINUTES; i++) {
                    if (minute - buckets.minutes().get(i) < MINUTES) {
                        total += buckets.counts().get(i);
                    }
                }
            }
            if (total > 0) {
                totals.put(rule, total);
            }
        });
        return totals;
    }
}
