package dev.meridian.platform.flags;

import dev.meridian.platform.config.PlatformConfig;
import dev.meridian.platform.metrics.MeterNames;
import dev.meridian.platform.redis.StreamClients;
import dev.meridian.platform.redis.StreamTail;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

/** Puts {@link RuntimeFlags} into CDI, starts it with the application and fires {@link FlagChanged} events. */
@ApplicationScoped
public class FlagsProducer {

    @Produces
    @Singleton
    RuntimeFlags runtimeFlags(Vertx vertx, Redis redis, PlatformConfig config, StreamTail.Options streamOptions,
            StreamClients streamClients, Config rawConfig, Clock clock, Event<FlagChanged> events, MeterRegistry registry) {
        PlatformConfig.Flags flags = config.flags();
        FlagSettings settings = new FlagSettings(flags.hashKey(), flags.controlStream(), flags.controlStreamMaxLen(),
                flags.reconcileInterval(), streamOptions);
        RuntimeFlags runtimeFlags = new RuntimeFlags(vertx, redis, streamClients, settings, startValues(rawConfig), clock,
                events::fire);
        for (Flag flag : Flag.values()) {
            Gauge.builder(MeterNames.platform("flag.enabled"), runtimeFlags, f -> f.isEnabled(flag) ? 1 : 0)
                    .description("1 while the runtime flag is on for this instance")
                    .tag("flag", flag.key())
                    .register(registry);
        }
        return runtimeFlags;
    }

    void dispose(@Disposes RuntimeFlags runtimeFlags) {
        runtimeFlags.close();
    }

    /**
     * Follows Redis from start-up on. Waits a bounded time for the cluster-wide values so a new
     * instance serves with them from its first request; with Redis away it starts on ENABLE_* values.
     */
    void onStart(@Observes StartupEvent event, RuntimeFlags runtimeFlags, PlatformConfig config) {
        try {
            runtimeFlags.start().await().atMost(config.flags().startupSyncTimeout());
        } catch (RuntimeException e) {
            Log.warnf("flags starting on ENABLE_* values, Redis not reachable within %s: %s",
                    config.flags().startupSyncTimeout(), e.toString());
        }
    }

    /** The ENABLE_* values (environment, system properties or config), on when unset. */
    static Map<Flag, Boolean> startValues(Config config) {
        Map<Flag, Boolean> values = new EnumMap<>(Flag.class);
        for (Flag flag : Flag.values()) {
            String raw = config.getOptionalValue(flag.envVar(), String.class).orElse("true");
            boolean enabled = FlagValues.parse(raw).orElseThrow(() -> new IllegalArgumentException(
                    flag.envVar() + "=" + raw + " is not a boolean (use true/false, on/off, 1/0)"));
            values.put(flag, enabled);
        }
        return values;
    }
}
