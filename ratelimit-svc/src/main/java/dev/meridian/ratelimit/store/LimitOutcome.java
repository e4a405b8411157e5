package dev.meridian.ratelimit.store;

/**
 * What a store decided for one {@link LimitCheck}.
 *
 * @param overLimit        the check failed
 * @param remaining        hits still allowed in the current window (0 when over)
 * @param resetMillis      until the window ends / the bucket is full again
 * @param retryAfterMillis when over: until a hit would be allowed again; else 0
 */
public record LimitOutcome(boolean overLimit, long remaining, long resetMillis, long retryAfterMillis) {
}
