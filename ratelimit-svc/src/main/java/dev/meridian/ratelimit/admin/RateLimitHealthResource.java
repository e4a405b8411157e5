package dev.meridian.ratelimit.admin;

import dev.meridian.platform.breaker.BreakerView;
import dev.meridian.platform.breaker.CircuitBreakers;
import dev.meridian.platform.flags.Flag;
import dev.meridian.platform.flags.RuntimeFlags;
import dev.meridian.ratelimit.RateLimitBeans;
import dev.meridian.ratelimit.config.ConfigReloader;
import dev.meridian.ratelimit.config.DescriptorNode;
import dev.meridian.ratelimit.config.DomainConfig;
import dev.meridian.ratelimit.config.LimitRule;
import dev.meridian.ratelimit.config.RateLimitConfig;
import dev.meridian.ratelimit.store.CounterStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET /health/rate-limits}: config version and load state, the store and its breaker, rules, recent over-limits. */
@Path("/health/rate-limits")
public class RateLimitHealthResource {

    /** One rule as operators read it. */
    public record RuleView(String rule, String name, long requestsPerUnit, String window, String algorithm, boolean unlimited,
            boolean shadowMode, boolean quotaMode) {
    }

    /** The JSON body. */
    public record Report(boolean enabled, String configVersion, Instant loadedAt, String configDir, String lastLoadError,
            Instant lastLoadAttempt, String store, String storeBreaker, Map<String, String> failureModes,
            List<RuleView> rules, Map<String, Long> recentOverLimits) {
    }

    @Inject
    ConfigReloader reloader;

    @Inject
    CounterStore store;

    @Inject
    CircuitBreakers breakers;

    @Inject
    RuntimeFlags flags;

    @Inject
    DecisionMetrics metrics;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Report report() {
        RateLimitConfig config = reloader.current();
        ConfigReloader.LoadStatus status = reloader.lastStatus();
        Map<String, String> failureModes = new TreeMap<>();
        List<RuleView> rules = new ArrayList<>();
        for (DomainConfig domain : config.domains().values()) {
            failureModes.put(domain.name(), domain.failureMode().name().toLowerCase());
            collect(domain.descriptors(), rules);
        }
        rules.sort((a, b) -> a.rule().compareTo(b.rule()));
        String breaker = breakers.views().stream().filter(v -> v.name().equals(RateLimitBeans.STORE_BREAKER))
                .map(BreakerView::state).findFirst().orElse("CLOSED");
        return new Report(flags.isEnabled(Flag.RATE_LIMITING), config.version(), config.loadedAt(), reloader.directory().toString(),
                status.error(), status.attemptedAt(), store.kind(), breaker, failureModes, rules, metrics.recentOverLimits());
    }

    private static void collect(DescriptorNode.DescriptorLevel level, List<RuleView> rules) {
        List<DescriptorNode> nodes = new ArrayList<>(level.byCompositeKey().values());
        nodes.addAll(level.wildcards());
        for (DescriptorNode node : nodes) {
            for (LimitRule rule : node.limits()) {
                rules.add(new RuleView(rule.metricKey(), rule.name(), rule.requestsPerUnit(),
                        rule.unlimited() ? "unlimited" : rule.window().toString(), rule.algorithm().yamlName(), rule.unlimited(),
                        node.shadowMode(), node.quotaMode()));
            }
            collect(node.children(), rules);
        }
    }
}
