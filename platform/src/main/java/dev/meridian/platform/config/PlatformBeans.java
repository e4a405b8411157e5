package dev.meridian.platform.config;

import dev.meridian.platform.redis.Backoff;
import dev.meridian.platform.redis.StreamTail;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;

/** Beans every service shares: the clock that decides time-based outcomes, stream options, meter tags. */
@ApplicationScoped
public class PlatformBeans {

    /** Services and tests may replace it; everything that decides by time asks this clock. */
    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    StreamTail.Options streamOptions(PlatformConfig config) {
        PlatformConfig.Streams streams = config.streams();
        return new StreamTail.Options(streams.block(), streams.batch(),
                new Backoff(streams.backoffInitial(), streams.backoffMax(), 0.2));
    }

    /** Every meter carries the service name, so one dashboard can tell the services apart. */
    @Produces
    @Singleton
    MeterFilter serviceTag(@ConfigProperty(name = "quarkus.application.name", defaultValue = "meridian") String service) {
        return MeterFilter.commonTags(Tags.of("service", service));
    }
}
