package dev.meridian.ratelimit.admin;

import dev.meridian.platform.metrics.MeterNames;
import dev.meridian.ratelimit.RateLimitServiceConfig;
import dev.meridian.ratelimit.config.LimitRule;
import dev.meridian.ratelimit.limiter.DecisionObserver;
import dev.meridian.ratelimit.store.LimitOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters per domain and rule (never per descriptor value): total hits, over limit, near limit,
 * shadow mode, answered from the over-limit cache; store failures per domain. Also feeds the
 * recent over-limit counts on the health page.
 */
@ApplicationScoped
public class DecisionMetrics implements DecisionObserver {

    private record MeterKey(String name, String domain, String rule) {
    }

    @Inject
    MeterRegistry registry;

    @Inject
    RateLimitServiceConfig config;

    @Inject
    Clock clock;

    private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();
    private final RecentOverLimits recent = new RecentOverLimits();
    private volatile long lastFailureLog;

    @Override
    public void onLimit(String domain, LimitRule rule, LimitOutcome outcome, long hits, boolean shadowed, boolean cached) {
        count("total_hits", domain, rule, hits);
        if (outcome.overLimit()) {
            count("over_limit", domain, rule, hits);
            recent.add(rule.metricKey(), hits, clock.millis());
            if (shadowed) {
                count("shadow_mode", domain, rule, hits);
            }
            if (cached) {
                count("over_limit_with_local_cache", domain, rule, hits);
            }
        } else {
            count("within_limit", domain, rule, hits);
            long used = rule.requestsPerUnit() - outcome.remaining();
            if (used > rule.requestsPerUnit() * config.nearLimitRatio()) {
                count("near_limit", domain, rule, hits);
            }
        }
    }

    @Override
    public void onDisabled(String domain, LimitRule rule, long hits) {
        count("total_hits", domain, rule, hits);
        count("disabled", domain, rule, hits);
    }

    @Override
    public void onStoreFailure(String domain, Throwable cause) {
        registry.counter(MeterNames.of("ratelimit", "store_failures"), "domain", domain).increment();
        long now = clock.millis();
        // A Redis outage fails every request; one line every 10 s says enough.
        if (now - lastFailureLog > 10_000) {
            lastFailureLog = now;
            Log.warnf("rate-limit store unavailable, deciding by failure mode: %s", cause.toString());
        }
    }

    public Map<String, Long> recentOverLimits() {
        return recent.snapshot(clock.millis());
    }

    private void count(String what, String domain, LimitRule rule, long hits) {
        counters.computeIfAbsent(new MeterKey(what, domain, rule.metricKey()),
                k -> Counter.builder(MeterNames.of("ratelimit", what))
                        .tag("domain", k.domain()).tag("rule", k.rule())
                        .register(registry))
                .increment(hits);
    }
}
