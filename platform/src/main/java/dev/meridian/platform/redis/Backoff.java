package dev.meridian.platform.redis;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with jitter for reconnect loops. Jitter keeps a fleet of instances
 * from reconnecting to a restarted Redis in lock-step.
 *
 * @param initial delay before the first retry
 * @param max     ceiling for any delay
 * @param jitter  fraction (0..1) of the delay that is randomised downwards
 */
public record Backoff(Duration initial, Duration max, double jitter) {

    public Backoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below initial " + initial);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be within 0..1, got " + jitter);
        }
    }

    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2);
    }

    /**
     * Delay before retry number {@code attempt} (0 for the first retry after a failure).
     *
     * @param random a source of numbers in [0, 1)
     */
    public Duration delay(int attempt, DoubleSupplier random) {
        long ceiling = max.toMillis();
        long base = initial.toMillis();
        // Shift only while it cannot overflow and stays under the ceiling.
        for (int i = 0; i < attempt && base < ceiling; i++) {
            base = Math.min(ceiling, base * 2);
        }
        long withJitter = Math.round(base * (1 - jitter * random.getAsDouble()));
        return Duration.ofMillis(Math.max(1, withJitter));
    }
}
