package dev.meridian.ratelimit.config;

/** What a domain's decisions are while the counter store is unreachable and no local estimate applies. */
public enum FailureMode {
    /** Let traffic through (Envoy's default: a broken limiter must not take the site down). */
    ALLOW,
    /** Refuse traffic (for limits that protect something more fragile than availability). */
    DENY
}
