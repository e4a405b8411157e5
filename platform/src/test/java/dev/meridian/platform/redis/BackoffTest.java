package dev.meridian.platform.redis;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2);

    @Test
    void doublesFromTheInitialDelayWithoutJitter() {
        assertEquals(Duration.ofMillis(100), backoff.delay(0, () -> 0));
        assertEquals(Duration.ofMillis(200), backoff.delay(1, () -> 0));
        assertEquals(Duration.ofMillis(800), backoff.delay(3, () -> 0));
    }

    @Test
    void neverExceedsTheCeilingEvenAfterManyAttempts() {
        assertEquals(Duration.ofSeconds(5), backoff.delay(10, () -> 0));
        assertEquals(Duration.ofSeconds(5), backoff.delay(Integer.MAX_VALUE, () -> 0));
    }

    @Test
    void jitterOnlyShortensTheDelay() {
        assertEquals(Duration.ofMillis(4000), backoff.delay(20, () -> 1.0));
        assertEquals(Duration.ofMillis(90), backoff.delay(0, () -> 0.5));
    }

    @Test
    void rejectsNonsenseSettings() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5));
    }
}
