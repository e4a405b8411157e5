package dev.meridian.ratelimit.admin;

import dev.meridian.ratelimit.config.ConfigReloader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until a config has loaded once; a later rejected reload keeps serving the last good one. */
@Readiness
@ApplicationScoped
public class ConfigHealthCheck implements HealthCheck {

    @Inject
    ConfigReloader reloader;

    @Override
    public HealthCheckResponse call() {
        boolean loaded = reloader.current().loadedAt().isAfter(java.time.Instant.EPOCH);
        var response = HealthCheckResponse.named("rate-limit-config").status(loaded)
                .withData("version", reloader.current().version())
                .withData("dir", reloader.directory().toString());
        if (reloader.lastStatus().error() != null) {
            response.withData("lastError", reloader.lastStatus().error());
        }
        return response.build();
    }
}
