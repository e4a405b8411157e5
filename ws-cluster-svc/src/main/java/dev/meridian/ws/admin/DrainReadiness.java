package dev.meridian.ws.admin;

import dev.meridian.ws.WsRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** A draining node is not ready: Kubernetes stops sending it new connections while it sheds the old ones. */
@Readiness
@ApplicationScoped
public class DrainReadiness implements HealthCheck {

    @Inject
    WsRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("websocket-accepting").status(!runtime.draining()).build();
    }
}
