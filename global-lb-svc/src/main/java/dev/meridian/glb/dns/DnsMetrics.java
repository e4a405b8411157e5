package dev.meridian.glb.dns;

import dev.meridian.platform.metrics.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Queries by type and rcode, answers per region: meters, and totals for the health page. */
@ApplicationScoped
public class DnsMetrics implements QueryObserver {

    private record Key(String type, String rcode) {
    }

    @Inject
    MeterRegistry registry;

    private final Map<Key, Counter> queries = new ConcurrentHashMap<>();
    private final Map<String, Counter> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> answersPerRegion = new ConcurrentHashMap<>();

    @Override
    public void onAnswer(String type, String rcode, String region) {
        // Types outside the usual few are folded together: a client must not mint meter series.
        String tag = switch (type) {
            case "A", "AAAA", "SOA", "NS", "ANY", "malformed" -> type;
            default -> "other";
        };
        queries.computeIfAbsent(new Key(tag, rcode), k -> Counter.builder(MeterNames.of("glb", "dns_queries"))
                .tag("type", k.type()).tag("rcode", k.rcode()).register(registry)).increment();
        if (region != null) {
            answers.computeIfAbsent(region, r -> Counter.builder(MeterNames.of("glb", "answers")).tag("region", r)
                    .register(registry)).increment();
            answersPerRegion.computeIfAbsent(region, r -> new AtomicLong()).incrementAndGet();
        }
    }

    public Map<String, Long> answersPerRegion() {
        Map<String, Long> totals = new java.util.TreeMap<>();
        answersPerRegion.forEach((region, count) -> totals.put(region, count.get()));
        return totals;
    }
}
