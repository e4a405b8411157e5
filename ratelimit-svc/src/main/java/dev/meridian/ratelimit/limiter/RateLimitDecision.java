package dev.meridian.ratelimit.limiter;

import java.util.List;

/**
 * The answer to a {@link RateLimitQuery}.
 *
 * @param overall          OVER_LIMIT when any descriptor outside quota mode is over, or every quota-mode one is
 * @param statuses         one per descriptor, in request order
 * @param headers          response headers for the client (IETF RateLimit fields, X-RateLimit-*, Retry-After)
 * @param quotaViolations  indexes of quota-mode descriptors that are over their limit
 * @param source           what the decision rests on
 */
public record RateLimitDecision(Code overall, List<DescriptorDecision> statuses, List<Header> headers,
        List<Integer> quotaViolations, DecisionSource source) {

    /** One response header. */
    public record Header(String name, String value) {
    }
}
