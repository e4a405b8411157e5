package dev.meridian.ratelimit.limiter;

import dev.meridian.ratelimit.config.LimitRule;
import dev.meridian.ratelimit.config.Match;
import dev.meridian.ratelimit.config.RateLimitConfig;
import dev.meridian.ratelimit.store.LimitCheck;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a query into a {@link LimitPlan}: per descriptor the client's override or the matched
 * limits, then {@code replaces} across the whole request (a named limit is dropped when another
 * matched limit replaces it), then the default limit for descriptors nothing matched.
 */
final class LimitPlanner {

    private final Optional<LimitRule> defaultLimit;

    LimitPlanner(Optional<LimitRule> defaultLimit) {
        this.defaultLimit = defaultLimit;
    }

    LimitPlan plan(RateLimitConfig config, RateLimitQuery query) {
        List<Optional<Match>> matches = new ArrayList<>();
        List<List<LimitRule>> rules = new ArrayList<>();
        for (RequestDescriptor descriptor : query.descriptors()) {
            if (descriptor.override().isPresent()) {
                RequestDescriptor.Override override = descriptor.override().get();
                String metricKey = query.domain() + "." + "override";
                matches.add(Optional.empty());
                rules.add(List.of(LimitRule.override(override.requestsPerUnit(), override.unit(), metricKey)));
                continue;
            }
            Optional<Match> match = config.match(query.domain(), descriptor.entries());
            matches.add(match);
            rules.add(match.map(Match::limits).orElseGet(() -> defaultLimit.map(List::of).orElse(List.of())));
        }
        Set<String> replaced = new HashSet<>();
        rules.forEach(list -> list.forEach(rule -> replaced.addAll(rule.replaces())));

        List<LimitPlan.DescriptorPlan> plans = new ArrayList<>();
        for (int i = 0; i < query.descriptors().size(); i++) {
            RequestDescriptor descriptor = query.descriptors().get(i);
            long hits = descriptor.hitsAddend().orElse(query.hitsAddend());
            List<LimitPlan.PlannedLimit> limits = new ArrayList<>();
            boolean unlimited = false;
            List<LimitRule> descriptorRules = rules.get(i);
            for (int r = 0; r < descriptorRules.size(); r++) {
                LimitRule rule = descriptorRules.get(r);
                if (rule.name() != null && replaced.contains(rule.name())) {
                    continue;
                }
                if (rule.unlimited()) {
                    unlimited = true;
                    continue;
                }
                String slot = descriptor.override().isPresent() ? "o" : Integer.toString(r);
                String key = CounterKeys.key(query.domain(), descriptor.entries(), rule, slot);
                limits.add(new LimitPlan.PlannedLimit(rule,
                        new LimitCheck(key, rule.algorithm(), rule.requestsPerUnit(), rule.window().toMillis(), hits, i)));
            }
            plans.add(new LimitPlan.DescriptorPlan(matches.get(i).map(Match::node).orElse(null), limits,
                    unlimited && limits.isEmpty()));
        }
        return new LimitPlan(plans);
    }
}
