package dev.meridian.ratelimit.config;

import java.util.List;

/**
 * The config node a request's descriptor ended on, and the limits that apply there.
 *
 * @param node   the matched node
 * @param limits what applies; empty when the descriptor is whitelisted or ends above a limit's depth
 */
public record Match(DescriptorNode node, List<LimitRule> limits) {
}
