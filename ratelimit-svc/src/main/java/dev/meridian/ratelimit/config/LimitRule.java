package dev.meridian.ratelimit.config;

import java.time.Duration;
import java.util.List;

/**
 * One limit of a descriptor.
 *
 * @param name            optional name other rules can {@code replaces}
 * @param requestsPerUnit hits allowed per window
 * @param unit            the window's unit
 * @param unitMultiplier  windows of several units (Meridian extension; 1 in Envoy's format)
 * @param algorithm       how hits are counted
 * @param unlimited       matches but never limits (no counter is touched)
 * @param replaces        names of rules this one replaces when both match
 * @param metricKey       low-cardinality identity for metrics and logs, e.g. {@code api.remote_address}
 */
public record LimitRule(String name, long requestsPerUnit, LimitUnit unit, int unitMultiplier, Algorithm algorithm,
        boolean unlimited, List<String> replaces, String metricKey) {

    public Duration window() {
        return unit.duration().multipliedBy(unitMultiplier);
    }

    /** The fixed-window limit used for Envoy's per-descriptor {@code limit} override. */
    public static LimitRule override(long requestsPerUnit, LimitUnit unit, String metricKey) {
        return new LimitRule(null, requestsPerUnit, unit, 1, Algorithm.FIXED_WINDOW, false, List.of(), metricKey);
    }
}
