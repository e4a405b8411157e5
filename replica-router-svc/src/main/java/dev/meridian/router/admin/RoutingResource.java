package dev.meridian.router.admin;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /health/replica-routing} (503 while the write target is down) and
 * {@code GET /metrics/replica-routing}: per backend role, state, lag, statements routed, errors,
 * pool use, and the primary's share of reads.
 */
@Path("/")
public class RoutingResource {

    @Inject
    RoutingStatus status;

    @GET
    @Path("health/replica-routing")
    @Produces(MediaType.APPLICATION_JSON)
    public Response health() {
        RoutingStatus.Snapshot snapshot = status.snapshot();
        return Response.status(snapshot.status().equals("UP") ? 200 : 503).entity(snapshot).build();
    }

    @GET
    @Path("metrics/replica-routing")
    @Produces(MediaType.APPLICATION_JSON)
    public RoutingStatus.Snapshot metrics() {
        return status.snapshot();
    }
}
