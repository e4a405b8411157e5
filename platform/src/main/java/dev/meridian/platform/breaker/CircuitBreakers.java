package dev.meridian.platform.breaker;

import dev.meridian.platform.config.PlatformConfig;
import dev.meridian.platform.flags.Flag;
import dev.meridian.platform.flags.FlagChanged;
import dev.meridian.platform.flags.RuntimeFlags;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * The registry of a service's breakers: one per backend name, created on first use. Names become
 * meter tags, so they must name backends (a replica, a region, an origin), never per-request values.
 */
@ApplicationScoped
public class CircuitBreakers {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._:-]{0,63}");

    private final ConcurrentMap<String, Breaker> breakers = new ConcurrentHashMap<>();

    @Inject
    PlatformConfig config;

    @Inject
    RuntimeFlags flags;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    /** The breaker for {@code name}, created on first use. */
    public Breaker breaker(String name) {
        Breaker existing = breakers.get(name);
        if (existing != null) {
            return existing;
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("breaker name must match " + NAME.pattern() + ": " + name);
        }
        return breakers.computeIfAbsent(name, n -> new Breaker(n, failureThreshold(), resetTimeout(),
                () -> flags.isEnabled(Flag.CIRCUIT_BREAKER), clock, registry));
    }

    public List<BreakerView> views() {
        return breakers.values().stream().map(Breaker::view).sorted(Comparator.comparing(BreakerView::name)).toList();
    }

    public int failureThreshold() {
        return config.circuitBreaker().failureThreshold();
    }

    public Duration resetTimeout() {
        return config.circuitBreaker().resetTimeout();
    }

    public boolean enabled() {
        return flags.isEnabled(Flag.CIRCUIT_BREAKER);
    }

    /** Turning the flag off closes every breaker at once, so traffic flows to every backend again. */
    void onFlagChanged(@Observes FlagChanged change) {
        if (change.flag() == Flag.CIRCUIT_BREAKER && !change.enabled()) {
            breakers.values().forEach(Breaker::reset);
        }
    }
}
