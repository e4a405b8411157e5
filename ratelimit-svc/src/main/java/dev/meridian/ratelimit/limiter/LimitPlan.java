package dev.meridian.ratelimit.limiter;

import dev.meridian.ratelimit.config.DescriptorNode;
import dev.meridian.ratelimit.config.LimitRule;
import dev.meridian.ratelimit.store.LimitCheck;

import java.util.List;

/**
 * What a query asks of the counters, worked out from the config before any counting.
 *
 * @param descriptors one per request descriptor, in order
 */
record LimitPlan(List<DescriptorPlan> descriptors) {

    /**
     * @param node      the matched config node; null when nothing (or only the default limit) matched
     * @param limits    the limits to check, after replaces
     * @param unlimited matched an unlimited rule (and nothing countable)
     */
    record DescriptorPlan(DescriptorNode node, List<PlannedLimit> limits, boolean unlimited) {
        boolean shadowMode() {
            return node != null && node.shadowMode();
        }

        boolean quotaMode() {
            return node != null && node.quotaMode();
        }
    }

    /** One limit and the counter check that enforces it. */
    record PlannedLimit(LimitRule rule, LimitCheck check) {
    }
}
