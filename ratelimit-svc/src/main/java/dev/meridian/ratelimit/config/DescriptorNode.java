package dev.meridian.ratelimit.config;

import java.util.List;
import java.util.Map;

/**
 * One level of a domain's descriptor tree.
 *
 * @param key            the descriptor key
 * @param value          the value it matches; null for the key-only default; may hold {@code *} wildcards
 * @param limits         limits applied when a request's descriptor ends at this node (empty: none)
 * @param shadowMode     over-limit results are reported OK (and counted as shadow)
 * @param quotaMode      over-limit results do not deny on their own (see {@code RateLimitDecider})
 * @param detailedMetric keep the matched value in metric keys
 * @param children       the next level
 * @param position       where it was declared
 */
public record DescriptorNode(String key, String value, List<LimitRule> limits, boolean shadowMode, boolean quotaMode,
        boolean detailedMetric, DescriptorLevel children, SourcePosition position) {

    /** A descriptor with neither limits nor children whitelists what it matches. */
    public boolean whitelists() {
        return limits.isEmpty() && children.isEmpty();
    }

    /** The nodes of one level: exact ({@code key_value}) and key-only ({@code key}) lookups, then wildcards in config order. */
    public record DescriptorLevel(Map<String, DescriptorNode> byCompositeKey, List<DescriptorNode> wildcards) {
        public boolean isEmpty() {
            return byCompositeKey.isEmpty() && wildcards.isEmpty();
        }
    }
}
