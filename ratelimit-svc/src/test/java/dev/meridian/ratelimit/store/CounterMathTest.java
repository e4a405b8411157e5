package dev.meridian.ratelimit.store;

import dev.meridian.ratelimit.config.Algorithm;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The algorithms through the in-memory store, with a clock the tests move. */
class CounterMathTest {

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L - 1_700_000_000_000L % 60_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final InMemoryCounterStore store = new InMemoryCounterStore(clock, 10_000);

    private LimitOutcome hit(Algorithm algorithm, long limit, long window, long hits) {
        return store.applyNow(List.of(new LimitCheck("k-" + algorithm, algorithm, limit, window, hits, 0))).get(0);
    }

    private int admitted(Algorithm algorithm, long limit, long window, int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            if (!hit(algorithm, limit, window, 1).overLimit()) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void fixedWindowAdmitsExactlyTheLimitAndCountsDeniedHits() {
        assertEquals(10, admitted(Algorithm.FIXED_WINDOW, 10, 60_000, 15));
        LimitOutcome over = hit(Algorithm.FIXED_WINDOW, 10, 60_000, 1);
        assertTrue(over.overLimit());
        assertEquals(0, over.remaining());
        assertEquals(60_000, over.resetMillis(), "the clock sits at the window start");
    }

    @Test
    void fixedWindowResetsOnTheWindowBoundary() {
        admitted(Algorithm.FIXED_WINDOW, 3, 60_000, 5);
        now.addAndGet(59_999);
        assertTrue(hit(Algorithm.FIXED_WINDOW, 3, 60_000, 1).overLimit());
        now.addAndGet(1);
        LimitOutcome fresh = hit(Algorithm.FIXED_WINDOW, 3, 60_000, 1);
        assertFalse(fresh.overLimit());
        assertEquals(2, fresh.remaining());
    }

    @Test
    void checkOnlyHitsCountNothing() {
        admitted(Algorithm.FIXED_WINDOW, 5, 60_000, 2);
        LimitOutcome check = hit(Algorithm.FIXED_WINDOW, 5, 60_000, 0);
        assertFalse(check.overLimit());
        assertEquals(3, check.remaining());
        assertEquals(3, hit(Algorithm.FIXED_WINDOW, 5, 60_000, 0).remaining());
    }

    @Test
    void slidingWindowWeighsThePreviousWindow() {
        assertEquals(10, admitted(Algorithm.SLIDING_WINDOW, 10, 60_000, 12));
        // Half-way through the next window, half of the previous 10 still count.
        now.addAndGet(90_000);
        assertEquals(5, admitted(Algorithm.SLIDING_WINDOW, 10, 60_000, 8));
        LimitOutcome denied = hit(Algorithm.SLIDING_WINDOW, 10, 60_000, 1);
        assertTrue(denied.overLimit());
        assertTrue(denied.retryAfterMillis() > 0 && denied.retryAfterMillis() <= 30_000, "retry " + denied.retryAfterMillis());
    }

    @Test
    void tokenBucketAllowsABurstThenRefillsEvenly() {
        assertEquals(10, admitted(Algorithm.TOKEN_BUCKET, 10, 10_000, 20), "burst up to the limit");
        LimitOutcome denied = hit(Algorithm.TOKEN_BUCKET, 10, 10_000, 1);
        assertTrue(denied.overLimit());
        assertEquals(1000, denied.retryAfterMillis(), "one token per second");
        now.addAndGet(1000);
        assertEquals(1, admitted(Algorithm.TOKEN_BUCKET, 10, 10_000, 3));
        now.addAndGet(10_000);
        assertEquals(10, admitted(Algorithm.TOKEN_BUCKET, 10, 10_000, 20), "a full bucket after a full window");
    }

    @Test
    void aZeroLimitRefusesEverything() {
        assertEquals(0, admitted(Algorithm.FIXED_WINDOW, 0, 1000, 3));
        assertEquals(0, admitted(Algorithm.SLIDING_WINDOW, 0, 1000, 3));
        assertEquals(0, admitted(Algorithm.TOKEN_BUCKET, 0, 1000, 3));
    }

    @Test
    void limitsOfOneDescriptorAreAllOrNothing() {
        // burst 100/s (token bucket) and 3 per minute (sliding): the tighter one decides, the other is not charged
        List<LimitCheck> both = List.of(
                new LimitCheck("burst", Algorithm.TOKEN_BUCKET, 100, 1000, 1, 7),
                new LimitCheck("sustained", Algorithm.SLIDING_WINDOW, 3, 60_000, 1, 7));
        for (int i = 0; i < 3; i++) {
            assertFalse(store.applyNow(both).get(1).overLimit());
        }
        List<LimitOutcome> fourth = store.applyNow(both);
        assertTrue(fourth.get(1).overLimit());
        assertFalse(fourth.get(0).overLimit());
        assertEquals(97, store.applyNow(List.of(new LimitCheck("burst", Algorithm.TOKEN_BUCKET, 100, 1000, 0, 7))).get(0).remaining(),
                "the denied request took no token from the burst bucket");
    }
}
