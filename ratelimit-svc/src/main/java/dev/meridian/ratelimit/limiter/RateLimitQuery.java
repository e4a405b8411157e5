package dev.meridian.ratelimit.limiter;

import java.util.List;

/**
 * A rate-limit question: which domain, which descriptors, how many hits each.
 *
 * @param domain      the config domain
 * @param descriptors in request order; the answer keeps that order
 * @param hitsAddend  hits per descriptor unless a descriptor says otherwise (at least 1)
 */
public record RateLimitQuery(String domain, List<RequestDescriptor> descriptors, long hitsAddend) {
}
