package dev.meridian.glb.health;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hysteresis: fall failures in a row to fail, rise passes in a row to recover. */
class EndpointHealthTest {

    private static final int RISE = 2;
    private static final int FALL = 3;
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private EndpointHealth feed(EndpointHealth state, boolean... results) {
        for (boolean passed : results) {
            now = now.plusSeconds(1);
            state = state.record(passed, 5, passed ? null : "down", RISE, FALL, now);
        }
        return state;
    }

    @Test
    void failsOnlyAfterFallFailuresInARow() {
        EndpointHealth state = feed(EndpointHealth.initial(now), false, false);
        assertTrue(state.healthy());
        state = feed(state, false);
        assertFalse(state.healthy());
        assertEquals(now, state.lastTransition());
    }

    @Test
    void recoversOnlyAfterRisePassesInARow() {
        EndpointHealth failed = feed(EndpointHealth.initial(now), false, false, false);
        assertFalse(feed(failed, true).healthy());
        assertTrue(feed(failed, true, true).healthy());
    }

    @Test
    void aFlappingEndpointDoesNotFlapTheVerdict() {
        EndpointHealth state = EndpointHealth.initial(now);
        for (int i = 0; i < 50; i++) {
            state = feed(state, i % 2 == 0);
            assertTrue(state.healthy(), "flip " + i);
        }
        EndpointHealth failed = feed(EndpointHealth.initial(now), false, false, false);
        for (int i = 0; i < 50; i++) {
            failed = feed(failed, i % 2 == 0);
            assertFalse(failed.healthy(), "flip " + i);
        }
    }
}
