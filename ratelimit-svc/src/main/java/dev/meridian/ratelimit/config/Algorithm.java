package dev.meridian.ratelimit.config;

import java.util.Arrays;
import java.util.Optional;

/** How a limit counts. */
public enum Algorithm {
    /**
     * Envoy-compatible: a counter per calendar-aligned window; every hit counts, allowed or not,
     * exactly as envoyproxy/ratelimit does.
     */
    FIXED_WINDOW("fixed_window"),
    /** The previous window's count weighted by its overlap plus the current one; denied hits do not count. */
    SLIDING_WINDOW("sliding_window"),
    /** A token bucket computed as GCRA: bursts up to the limit, refilled evenly; denied hits do not count. */
    TOKEN_BUCKET("token_bucket");

    private final String yamlName;

    Algorithm(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public static Optional<Algorithm> parse(String raw) {
        return Arrays.stream(values()).filter(a -> a.yamlName.equals(raw)).findFirst();
    }
}
