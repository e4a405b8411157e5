package dev.meridian.ratelimit;

import dev.meridian.platform.redis.RedisServerProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one environment every ratelimit-svc Quarkus test shares: a redis-server of its own for the
 * counters (so tests can stop and restart it) and a config directory tests may write to.
 */
public class RateLimitTestResource implements QuarkusTestResourceLifecycleManager {

    public static final RedisServerProcess COUNTERS = new RedisServerProcess();
    public static Path configDir;

    @Override
    public Map<String, String> start() {
        try {
            COUNTERS.start();
            configDir = Files.createTempDirectory("meridian-ratelimit-config");
            Files.writeString(configDir.resolve("test.yaml"), """
                    domain: test
                    descriptors:
                      - key: user
                        rate_limit: {unit: hour, requests_per_unit: 5}
                      - key: shadow
                        shadow_mode: true
                        rate_limit: {unit: hour, requests_per_unit: 1}
                      - key: healthcheck
                      - key: remote_address
                        descriptors:
                          - key: method
                            rate_limit: {unit: hour, requests_per_unit: 3}
                    """);
            Files.writeString(configDir.resolve("strict.yaml"), """
                    domain: strict
                    failure_mode: deny
                    descriptors:
                      - key: user
                        rate_limit: {unit: hour, requests_per_unit: 1000}
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Map.of(
                "meridian.ratelimit.config-dir", configDir.toString(),
                "meridian.ratelimit.reload-interval", "200ms",
                "meridian.ratelimit.store.redis-url", COUNTERS.uri(),
                "meridian.ratelimit.store.timeout", "300ms",
                "meridian.ratelimit.instances", "2",
                "meridian.ratelimit.check.domain", "test",
                "meridian.ratelimit.check.descriptors", "user:X-User,remote_address:X-Real-IP+method:X-Method");
    }

    @Override
    public void stop() {
        try {
            COUNTERS.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
