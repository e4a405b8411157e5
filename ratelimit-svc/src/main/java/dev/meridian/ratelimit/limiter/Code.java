package dev.meridian.ratelimit.limiter;

/** A descriptor's or a request's outcome, as Envoy's {@code RateLimitResponse.Code}. */
public enum Code {
    OK,
    OVER_LIMIT
}
