package dev.meridian.router.wire;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes of incomplete messages the router holds for all its connections together, under
 * one limit. A message is classified whole, so a client's Query or Parse is held until its last
 * byte arrives; without a shared limit a handful of clients sending large messages slowly would
 * fill the heap and take every other client down with the router.
 */
public final class HeldBytes {

    private final long limit;
    private final AtomicLong held = new AtomicLong();

    public HeldBytes(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit on held message bytes must be positive, not " + limit);
        }
        this.limit = limit;
    }

    /** Takes {@code bytes} more if that stays within the limit. */
    boolean tryHold(long bytes) {
        long now;
        do {
            now = held.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        return true;
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    public long held() {
        return held.get();
    }

    public long limit() {
        return limit;
    }
}
