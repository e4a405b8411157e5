package dev.meridian.cache.admin;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/** Hits and lookups per minute for the last 15 minutes, for hit ratios over 1, 5 and 15 minutes. */
public final class HitWindows {

    private static final int MINUTES = 16;

    private final LongSupplier clockMillis;
    private final AtomicLongArray minute = new AtomicLongArray(MINUTES);
    private final AtomicLongArray hits = new AtomicLongArray(MINUTES);
    private final AtomicLongArray lookups = new AtomicLongArray(MINUTES);

    public HitWindows(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    public void record(boolean hit) {
        long now = clockMillis.getAsLong() / 60_000;
        int slot = (int) (now % MINUTES);
        long seen = minute.get(slot);
        if (seen != now && minute.compareAndSet(slot, seen, now)) {
            hits.set(slot, 0);
            lookups.set(slot, 0);
        }
        lookups.incrementAndGet(slot);
        if (hit) {
            hits.incrementAndGet(slot);
        }
    }

    /** Hit ratio over the last {@code minutes} (including the current one); NaN with no lookups. */
    public double ratio(int minutes) {
        long now = clockMillis.getAsLong() / 60_000;
        long h = 0;
        long l = 0;
        for (int back = 0; back < minutes; back++) {
            int slot = (int) ((now - back) % MINUTES);
            if (minute.get(slot) == now - back) {
                h += hits.get(slot);
                l += lookups.get(slot);
            }
        }
        return l == 0 ? Double.NaN : (double) h / l;
    }
}
