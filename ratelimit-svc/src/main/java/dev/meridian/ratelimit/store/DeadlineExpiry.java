package dev.meridian.ratelimit.store;

import com.github.benmanes.caffeine.cache.Expiry;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Caffeine expiry for values that carry their own deadline (epoch millis, per the injected clock):
 * an entry lives until its deadline, re-computed on every write, untouched by reads.
 */
public final class DeadlineExpiry<K, V> implements Expiry<K, V> {

    private final Clock clock;
    private final ToLongFunction<V> deadline;

    public DeadlineExpiry(Clock clock, ToLongFunction<V> deadline) {
        this.clock = clock;
        this.deadline = deadline;
    }

    @Override
    public long expireAfterCreate(K key, V value, long currentTime) {
        return TimeUnit.MILLISECONDS.toNanos(Math.max(1, deadline.applyAsLong(value) - clock.millis()));
    }

    @Override
    public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
        return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
        return currentDuration;
    }
}
