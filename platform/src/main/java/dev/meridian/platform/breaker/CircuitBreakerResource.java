package dev.meridian.platform.breaker;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** {@code GET /health/circuit-breakers}: every breaker of this service with its settings. */
@Path("/health/circuit-breakers")
public class CircuitBreakerResource {

    /** The JSON body. {@code enabled} is the circuit-breaker flag: while false, no breaker opens. */
    public record Report(boolean enabled, int failureThreshold, long resetTimeoutSeconds, List<BreakerView> breakers) {
    }

    @Inject
    CircuitBreakers breakers;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Report report() {
        return new Report(breakers.enabled(), breakers.failureThreshold(), breakers.resetTimeout().toSeconds(),
                breakers.views());
    }
}
