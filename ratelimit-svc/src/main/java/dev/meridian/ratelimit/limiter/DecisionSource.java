package dev.meridian.ratelimit.limiter;

/** What the decision was based on. */
public enum DecisionSource {
    /** The shared counters (Redis, or the in-memory store when it is the configured one). */
    STORE,
    /** The rate-limiting flag is off: everything is OK. */
    DISABLED,
    /** Redis was unreachable: the local approximate limiter decided (failure mode allow). */
    FALLBACK,
    /** Redis was unreachable and the domain's failure mode is deny. */
    FAILURE_DENY,
    /** Nothing needed counting (no limits matched, all unlimited, or all answered from the over-limit cache). */
    LOCAL
}
