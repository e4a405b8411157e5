package dev.meridian.cache.admin;

import dev.meridian.platform.metrics.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** cache-svc's meters: requests by cache status, bytes served, origin latency, coalesced requests; and hit ratio windows. */
public final class CacheMetrics {

    private static final String SVC = "cache";

    private final Map<String, Counter> byStatus;
    private final DistributionSummary bytes;
    private final Timer originOk;
    private final Timer originFailed;
    private final Counter coalesced;
    private final HitWindows windows = new HitWindows(System::currentTimeMillis);

    public CacheMetrics(MeterRegistry registry) {
        byStatus = Map.of("HIT", requests(registry, "hit"), "MISS", requests(registry, "miss"), "STALE", requests(registry, "stale"),
                "BYPASS", requests(registry, "bypass"));
        bytes = DistributionSummary.builder(MeterNames.of(SVC, "bytes_served")).baseUnit("bytes")
                .description("Body bytes served to clients").register(registry);
        originOk = Timer.builder(MeterNames.of(SVC, "origin.duration")).tag("outcome", "ok").publishPercentileHistogram()
                .description("Origin request latency").register(registry);
        originFailed = Timer.builder(MeterNames.of(SVC, "origin.duration")).tag("outcome", "failed")
                .description("Origin request latency").register(registry);
        coalesced = Counter.builder(MeterNames.of(SVC, "coalesced")).description("Requests that waited for another's origin fetch")
                .register(registry);
    }

    private static Counter requests(MeterRegistry registry, String status) {
        return Counter.builder(MeterNames.of(SVC, "requests")).tag("cache_status", status)
                .description("Requests by cache status").register(registry);
    }

    public void served(String xCache, long bodyBytes) {
        Counter counter = byStatus.get(xCache);
        if (counter != null) {
            counter.increment();
        }
        bytes.record(bodyBytes);
        if (!xCache.equals("BYPASS")) {
            windows.record(xCache.equals("HIT") || xCache.equals("STALE"));
        }
    }

    public void originLatency(long nanos, boolean ok) {
        (ok ? originOk : originFailed).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void coalesced() {
        coalesced.increment();
    }

    public double coalescedCount() {
        return coalesced.count();
    }

    public HitWindows windows() {
        return windows;
    }
}
