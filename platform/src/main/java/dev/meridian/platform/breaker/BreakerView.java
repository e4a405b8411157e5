package dev.meridian.platform.breaker;

import java.time.Instant;

/**
 * One breaker as operators see it.
 *
 * @param name           the backend it guards
 * @param state          CLOSED, OPEN or HALF_OPEN
 * @param failures       failures since the last success
 * @param lastTransition when it last changed state (its creation, if never)
 * @param openUntil      while OPEN: from when the next call is let through as a trial; otherwise null
 */
public record BreakerView(String name, String state, int failures, Instant lastTransition, Instant openUntil) {
}
