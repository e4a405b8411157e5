package dev.meridian.glb.health;

import java.time.Instant;

/**
 * One endpoint's health with hysteresis: healthy until {@code fall} failures in a row, failed until
 * {@code rise} passes in a row. Starts healthy, so a restarted instance answers before its first
 * round of checks. Immutable: each result gives the next state.
 *
 * @param healthy        current verdict
 * @param streak         consecutive results that disagree with the verdict
 * @param lastTransition when the verdict last changed
 * @param lastRttMillis  duration of the last check
 * @param lastError      why the last check failed (null if it passed)
 */
public record EndpointHealth(boolean healthy, int streak, Instant lastTransition, long lastRttMillis, String lastError) {

    public static EndpointHealth initial(Instant now) {
        return new EndpointHealth(true, 0, now, -1, null);
    }

    public EndpointHealth record(boolean passed, long rttMillis, String error, int rise, int fall, Instant now) {
        if (passed == healthy) {
            return new EndpointHealth(healthy, 0, lastTransition, rttMillis, error);
        }
        int next = streak + 1;
        if (next >= (healthy ? fall : rise)) {
            return new EndpointHealth(!healthy, 0, now, rttMillis, error);
        }
        return new EndpointHealth(healthy, next, lastTransition, rttMillis, error);
    }
}
