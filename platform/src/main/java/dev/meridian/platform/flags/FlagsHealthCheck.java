package dev.meridian.platform.flags;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the flags and whether this instance is following Redis. It stays UP while Redis is away,
 * because the last known values keep the service correct; the data says why it is not following.
 * (Quarkus' own Redis check reports the connection itself.)
 */
@Readiness
@ApplicationScoped
public class FlagsHealthCheck implements HealthCheck {

    @Inject
    RuntimeFlags flags;

    @Override
    public HealthCheckResponse call() {
        FlagSyncStatus status = flags.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("runtime-flags").up()
                .withData("redis", status.redisConnected() ? "following" : "unreachable")
                .withData("lastSync", String.valueOf(status.lastSync()));
        if (status.lastError() != null) {
            response.withData("reason", status.lastError() + "; serving last known flag values");
        }
        flags.snapshot().forEach((flag, value) -> response.withData(flag.key(), value.enabled() + " (" + value.source() + ")"));
        return response.build();
    }
}
