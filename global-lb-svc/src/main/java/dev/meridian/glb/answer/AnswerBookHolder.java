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
 * Holds the config and the current {@link AnswerBook}; rebuilds the book when region health, the
 * config file or the global-lb flag changes. A bad file at start stops the service with the file
 * and setting named; a bad file later is rejected and the last good config keeps serving.
 */
@ApplicationScoped
public class AnswerBookHolder {

    @Inject
    GlbServiceConfig serviceConfig;

    @Inject
    RuntimeFlags flags;

    @Inject
    io.vertx.mutiny.core.Vertx vertx;

    private long reloadTimer = -1;

    private GlbConfig config;
    private volatile String fileStamp = "";
    private volatile String lastConfigError;
    private volatile java.time.Instant configLoadedAt;
    private final java.util.List<java.util.function.Consumer<GlbConfig>> configListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Set<String> healthy;
    private volatile Map<String, Long> rttMillis = Map.of();
    private volatile AnswerBook book;

    public synchronized GlbConfig config() {
        if (config == null) {
            try {
                fileStamp = stamp();
                config = GlbConfigParser.parse(serviceConfig.configFile().toString(), Files.readString(serviceConfig.configFile()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + serviceConfig.configFile(), e);
            }
            configLoadedAt = java.time.Instant.now();
            healthy = Set.copyOf(config.regions().stream().map(r -> r.name()).toList());
            rebuild();
        }
        return config;
    }

    /** Checks the config file every 2 s, off the event loop. */
    void onStart(@Observes io.quarkus.runtime.StartupEvent event) {
        config();
        reloadTimer = vertx.setPeriodic(2000, id -> vertx.executeBlocking(() -> {
            reloadIfChanged();
            return null;
        }).subscribe().with(ok -> { }, err -> Log.warnf("config check failed: %s", err.toString())));
    }

    void onStop(@Observes io.quarkus.runtime.ShutdownEvent event) {
        if (reloadTimer >= 0) {
            vertx.cancelTimer(reloadTimer);
        }
    }

    /** Told of every config that replaces the current one (the health monitor adjusts its checks). */
    public void onConfigChange(java.util.function.Consumer<GlbConfig> listener) {
        configListeners.add(listener);
    }

    public String lastConfigError() {
        return lastConfigError;
    }

    public java.time.Instant configLoadedAt() {
        return configLoadedAt;
    }

    /** Re-reads the config file if it changed. Blocking: never on an event loop. */
    public void reloadIfChanged() {
        GlbConfig next;
        synchronized (this) {
            String now = stamp();
            if (now.equals(fileStamp)) {
                return;
            }
            fileStamp = now;
            try {
                next = GlbConfigParser.parse(serviceConfig.configFile().toString(), Files.readString(serviceConfig.configFile()));
            } catch (IOException | RuntimeException e) {
                lastConfigError = e.getMessage();
                Log.errorf("global-lb config rejected, the previous one stays: %s", e.getMessage());
                return;
            }
            Set<String> names = new java.util.LinkedHashSet<>(next.regions().stream().map(r -> r.name()).toList());
            Set<String> known = config.regions().stream().map(r -> r.name()).collect(java.util.stream.Collectors.toSet());
            // Regions that stay keep their verdict; new ones start healthy, as at start-up.
            names.removeIf(name -> known.contains(name) && !healthy.contains(name));
            config = next;
            healthy = Set.copyOf(names);
            lastConfigError = null;
            configLoadedAt = java.time.Instant.now();
            Log.infof("global-lb config reloaded: regions=%s names=%d", names, next.names().size());
            rebuild();
        }
        configListeners.forEach(listener -> listener.accept(next));
    }

    private String stamp() {
        try {
            return Files.size(serviceConfig.configFile()) + ":" + Files.getLastModifiedTime(serviceConfig.configFile()).toMillis();
        } catch (IOException e) {
            return "unreadable";
        }
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
