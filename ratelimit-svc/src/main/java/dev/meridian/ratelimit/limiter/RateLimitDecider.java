package dev.meridian.ratelimit.limiter;

import dev.meridian.ratelimit.config.DomainConfig;
import dev.meridian.ratelimit.config.FailureMode;
import dev.meridian.ratelimit.config.LimitRule;
import dev.meridian.ratelimit.config.RateLimitConfig;
import dev.meridian.ratelimit.store.CounterStore;
import dev.meridian.ratelimit.store.InMemoryCounterStore;
import dev.meridian.ratelimit.store.LimitCheck;
import dev.meridian.ratelimit.store.LimitOutcome;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Decides one {@link RateLimitQuery}: plan, answer what the over-limit cache already knows, send
 * the rest to the counter store in one call, and compose the answer. When the store fails (or its
 * breaker is open) the domain's failure mode decides: {@code allow} falls back to a local limiter
 * at limit ÷ instance count, {@code deny} refuses every limited descriptor.
 */
public final class RateLimitDecider {

    /** Runs a store call, typically through a circuit breaker. */
    @FunctionalInterface
    public interface StoreGuard {
        Uni<List<LimitOutcome>> call(Supplier<Uni<List<LimitOutcome>>> action);
    }

    /**
     * @param store          the shared counters
     * @param guard          wraps every store call (the Redis breaker)
     * @param fallback       the local limiter used while the store is failing
     * @param instances      how many instances share the limits (divides limits in fallback)
     * @param cache          over-limit cache
     * @param enabled        the rate-limiting flag
     * @param defaultLimit   applies to descriptors nothing matched (DEFAULT_RATE_LIMIT)
     * @param observer       metrics and health
     */
    public record Parts(Supplier<RateLimitConfig> config, CounterStore store, StoreGuard guard, InMemoryCounterStore fallback,
            int instances, OverLimitCache cache, BooleanSupplier enabled, Optional<LimitRule> defaultLimit,
            DecisionObserver observer) {
    }

    static final String UNKNOWN_DOMAIN = "_unknown";

    private final Parts parts;
    private final LimitPlanner planner;

    public RateLimitDecider(Parts parts) {
        this.parts = parts;
        this.planner = new LimitPlanner(parts.defaultLimit());
    }

    public Uni<RateLimitDecision> decide(RateLimitQuery query) {
        RateLimitConfig config = parts.config().get();
        Optional<DomainConfig> domain = config.domain(query.domain());
        String domainTag = domain.map(DomainConfig::name).orElse(UNKNOWN_DOMAIN);
        LimitPlan plan = planner.plan(config, query);
        List<LimitPlan.PlannedLimit> planned = plan.descriptors().stream().flatMap(d -> d.limits().stream()).toList();
        LimitOutcome[] outcomes = new LimitOutcome[planned.size()];

        if (!parts.enabled().getAsBoolean()) {
            planned.forEach(p -> parts.observer().onDisabled(domainTag, p.rule(), p.check().hits()));
            return Uni.createFrom().item(disabled(plan));
        }

        boolean[] cached = new boolean[planned.size()];
        List<LimitCheck> toStore = new ArrayList<>();
        List<Integer> storeIndexes = new ArrayList<>();
        for (int i = 0; i < planned.size(); i++) {
            LimitCheck check = planned.get(i).check();
            Optional<LimitOutcome> known = parts.cache().lookup(check.key());
            if (known.isPresent()) {
                outcomes[i] = known.get();
                cached[i] = true;
            } else {
                toStore.add(check);
                storeIndexes.add(i);
            }
        }
        if (toStore.isEmpty()) {
            return Uni.createFrom().item(compose(plan, planned, outcomes, cached, domainTag, DecisionSource.LOCAL));
        }
        // One operator for both outcomes: each stage of a Uni costs a subscription and a context
        // capture per decision.
        return parts.guard().call(() -> parts.store().apply(toStore))
                .onItemOrFailure().transform((results, failure) -> {
                    if (failure == null) {
                        for (int i = 0; i < results.size(); i++) {
                            outcomes[storeIndexes.get(i)] = results.get(i);
                            parts.cache().remember(toStore.get(i).key(), results.get(i));
                        }
                        return compose(plan, planned, outcomes, cached, domainTag, DecisionSource.STORE);
                    }
                    parts.observer().onStoreFailure(domainTag, failure);
                    FailureMode mode = domain.map(DomainConfig::failureMode).orElse(FailureMode.ALLOW);
                    return mode == FailureMode.DENY
                            ? denyAll(plan, planned, outcomes, cached, storeIndexes, domainTag)
                            : fallback(plan, planned, outcomes, cached, toStore, storeIndexes, domainTag);
                });
    }

    private RateLimitDecision fallback(LimitPlan plan, List<LimitPlan.PlannedLimit> planned, LimitOutcome[] outcomes,
            boolean[] cached, List<LimitCheck> toStore, List<Integer> storeIndexes, String domainTag) {
        int instances = Math.max(1, parts.instances());
        List<LimitCheck> local = toStore.stream()
                .map(c -> new LimitCheck(c.key(), c.algorithm(), (c.limit() + instances - 1) / instances, c.windowMillis(),
                        c.hits(), c.group()))
                .toList();
        List<LimitOutcome> results = parts.fallback().applyNow(local);
        for (int i = 0; i < results.size(); i++) {
            outcomes[storeIndexes.get(i)] = results.get(i);
        }
        return compose(plan, planned, outcomes, cached, domainTag, DecisionSource.FALLBACK);
    }

    private RateLimitDecision denyAll(LimitPlan plan, List<LimitPlan.PlannedLimit> planned, LimitOutcome[] outcomes,
            boolean[] cached, List<Integer> storeIndexes, String domainTag) {
        for (int index : storeIndexes) {
            long window = planned.get(index).check().windowMillis();
            outcomes[index] = new LimitOutcome(true, 0, window, Math.min(window, Duration.ofSeconds(1).toMillis()));
        }
        return compose(plan, planned, outcomes, cached, domainTag, DecisionSource.FAILURE_DENY);
    }

    private RateLimitDecision compose(LimitPlan plan, List<LimitPlan.PlannedLimit> planned, LimitOutcome[] outcomes,
            boolean[] cached, String domainTag, DecisionSource source) {
        List<DescriptorDecision> statuses = new ArrayList<>();
        int next = 0;
        for (LimitPlan.DescriptorPlan descriptor : plan.descriptors()) {
            if (descriptor.limits().isEmpty()) {
                statuses.add(descriptor.unlimited() ? DescriptorDecision.unlimited() : DescriptorDecision.noLimit());
                continue;
            }
            int deciding = -1;
            long retryAfter = 0;
            for (int k = 0; k < descriptor.limits().size(); k++) {
                int index = next + k;
                LimitOutcome outcome = outcomes[index];
                boolean over = outcome.overLimit();
                parts.observer().onLimit(domainTag, planned.get(index).rule(), outcome, planned.get(index).check().hits(),
                        over && descriptor.shadowMode(), cached[index]);
                if (over) {
                    retryAfter = Math.max(retryAfter, outcome.retryAfterMillis());
                }
                if (deciding < 0 || over && !outcomes[deciding].overLimit()
                        || over == outcomes[deciding].overLimit() && outcome.remaining() < outcomes[deciding].remaining()) {
                    deciding = index;
                }
            }
            next += descriptor.limits().size();
            LimitOutcome decided = outcomes[deciding];
            boolean over = decided.overLimit();
            boolean shadowed = over && descriptor.shadowMode();
            Code code = over && !shadowed ? Code.OVER_LIMIT : Code.OK;
            statuses.add(new DescriptorDecision(code, planned.get(deciding).rule(), decided.remaining(),
                    Duration.ofMillis(decided.resetMillis()), Duration.ofMillis(retryAfter), shadowed, descriptor.quotaMode()));
        }
        return finish(statuses, source);
    }

    private RateLimitDecision disabled(LimitPlan plan) {
        List<DescriptorDecision> statuses = plan.descriptors().stream()
                .map(d -> d.unlimited() ? DescriptorDecision.unlimited() : DescriptorDecision.noLimit())
                .toList();
        return new RateLimitDecision(Code.OK, statuses, List.of(), List.of(), DecisionSource.DISABLED);
    }

    /**
     * Overall: over when a descriptor outside quota mode is over, or when every quota-mode
     * descriptor is (quota mode is a soft limit until all of the request's quotas are spent).
     */
    private static RateLimitDecision finish(List<DescriptorDecision> statuses, DecisionSource source) {
        boolean hardOver = false;
        int quotaDescriptors = 0;
        List<Integer> quotaViolations = new ArrayList<>();
        for (int i = 0; i < statuses.size(); i++) {
            DescriptorDecision status = statuses.get(i);
            if (status.quotaMode()) {
                quotaDescriptors++;
                if (status.code() == Code.OVER_LIMIT) {
                    quotaViolations.add(i);
                }
            } else if (status.code() == Code.OVER_LIMIT) {
                hardOver = true;
            }
        }
        boolean over = hardOver || quotaDescriptors > 0 && quotaViolations.size() == quotaDescriptors;
        if (source != DecisionSource.STORE && source != DecisionSource.LOCAL) {
            Log.debugf("rate-limit decision from %s", source);
        }
        return new RateLimitDecision(over ? Code.OVER_LIMIT : Code.OK, statuses, ResponseHeaders.of(statuses),
                List.copyOf(quotaViolations), source);
    }
}
