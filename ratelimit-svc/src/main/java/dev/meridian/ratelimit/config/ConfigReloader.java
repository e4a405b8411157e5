package dev.meridian.ratelimit.config;

import dev.meridian.ratelimit.RateLimitServiceConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the active {@link RateLimitConfig} and reloads it when the directory changes (polling, which
 * also sees Kubernetes ConfigMap symlink swaps). A rejected reload keeps the last good config and
 * reports why at {@code /health/rate-limits}.
 */
@ApplicationScoped
public class ConfigReloader {

    /** What the last load attempt said. */
    public record LoadStatus(Instant attemptedAt, String error) {
    }

    @Inject
    RateLimitServiceConfig serviceConfig;

    @Inject
    Vertx vertx;

    @Inject
    Clock clock;

    private final AtomicReference<RateLimitConfig> active = new AtomicReference<>(RateLimitConfig.empty(Instant.EPOCH));
    private volatile LoadStatus lastStatus = new LoadStatus(null, "not loaded yet");
    private volatile String fingerprint = "";
    private long timer = -1;

    void onStart(@Observes StartupEvent event) {
        reloadIfChanged();
        timer = vertx.setPeriodic(serviceConfig.reloadInterval().toMillis(),
                id -> vertx.executeBlocking(() -> {
                    reloadIfChanged();
                    return null;
                }).subscribe().with(ok -> { }, err -> Log.warnf("rate-limit config check failed: %s", err.toString())));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    public RateLimitConfig current() {
        return active.get();
    }

    public LoadStatus lastStatus() {
        return lastStatus;
    }

    public Path directory() {
        return serviceConfig.configDir();
    }

    /** Loads the directory if its files changed since the last attempt. Blocking: never on an event loop. */
    public synchronized void reloadIfChanged() {
        Path dir = serviceConfig.configDir();
        String now = fingerprint(dir);
        if (now.equals(fingerprint)) {
            return;
        }
        fingerprint = now;
        try {
            RateLimitConfig loaded = ConfigDirectory.load(dir, clock.instant());
            active.set(loaded);
            lastStatus = new LoadStatus(clock.instant(), null);
            Log.infof("rate-limit config loaded version=%s domains=%s dir=%s", loaded.version(), loaded.domains().keySet(), dir);
        } catch (ConfigException e) {
            lastStatus = new LoadStatus(clock.instant(), e.getMessage());
            Log.errorf("rate-limit config rejected, keeping version=%s: %s", active.get().version(), e.getMessage());
        }
    }

    /** Names, sizes and modification times of the YAML files: cheap to compute every couple of seconds. */
    private static String fingerprint(Path dir) {
        try {
            StringBuilder print = new StringBuilder();
            for (Path file : ConfigDirectory.files(dir)) {
                print.append(file.getFileName()).append(':').append(Files.size(file)).append(':')
                        .append(Files.getLastModifiedTime(file).toMillis()).append(';');
            }
            return print.toString();
        } catch (ConfigException | IOException e) {
            return "unreadable:" + e.getMessage();
        }
    }
}
