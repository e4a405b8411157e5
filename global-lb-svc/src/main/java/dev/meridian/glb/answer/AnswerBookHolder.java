package dev.meridian.glb.answer;

import dev.meridian.glb.GlbServiceConfig;
import dev.meridian.glb.config.GlbConfig;
import dev.meridian.glb.config.GlbConfigParser;
import dev.meridian.platform.flags.Flag;
import dev.meridian.platform.flags.FlagChanged;
import dev.meridian.platform.flags.RuntimeFlags;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;

/**
 * Holds the config and the current {@link AnswerBook}; rebuilds the book when region health or the
 * global-lb flag changes. The config is read once at start: a bad file stops the service with the
 * file and setting named.
 */
@ApplicationScoped
public class AnswerBookHolder {

    @Inject
    GlbServiceConfig serviceConfig;

    @Inject
    RuntimeFlags flags;

    private GlbConfig config;
    private volatile Set<String> healthy;
    private volatile Map<String, Long> rttMillis = Map.of();
    private volatile AnswerBook book;

    public synchronized GlbConfig config() {
        if (config == null) {
            try {
                config = GlbConfigParser.parse(serviceConfig.configFile().toString(), Files.readString(serviceConfig.configFile()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + serviceConfig.configFile(), e);
            }
            healthy = Set.copyOf(config.regions().stream().map(r -> r.name()).toList());
            rebuild();
        }
        return config;
    }

    public AnswerBook book() {
        if (book == null) {
            config();
        }
        return book;
    }

    public Set<String> healthyRegions() {
        return healthy;
    }

    /** Called by the health monitor whenever a region's verdict changes. */
    public void regionsChanged(Set<String> healthyRegions) {
        healthy = Set.copyOf(healthyRegions);
        rebuild();
    }

    /** Called by the health monitor when the ranking of regions by probe RTT changes. */
    public void latenciesChanged(Map<String, Long> regionRttMillis) {
        rttMillis = Map.copyOf(regionRttMillis);
        rebuild();
    }

    void onFlag(@Observes FlagChanged change) {
        if (change.flag() == Flag.GLOBAL_LB) {
            rebuild();
        }
    }

    private synchronized void rebuild() {
        long started = System.nanoTime();
        book = AnswerBook.build(config(), healthy, flags.isEnabled(Flag.GLOBAL_LB), rttMillis);
        Log.infof("answers rebuilt healthy=%s global-lb=%s in %d ms", healthy, flags.isEnabled(Flag.GLOBAL_LB),
                (System.nanoTime() - started) / 1_000_000);
    }
}
