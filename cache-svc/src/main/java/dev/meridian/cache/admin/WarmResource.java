package dev.meridian.cache.admin;

import dev.meridian.cache.warm.WarmJob;
import dev.meridian.cache.warm.WarmRequest;
import dev.meridian.cache.warm.WarmService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * {@code POST /admin/warm} {@code {"urls": [...], "sitemap": "...", "host": "...", "concurrency": 8}}
 * → 202 with the job; {@code GET /admin/warm/{id}} → progress and the per-URL report.
 */
@Path("/admin/warm")
@Blocking
public class WarmResource {

    @Inject
    WarmService warming;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response start(WarmRequest request) {
        try {
            WarmJob job = warming.start(request == null ? new WarmRequest(null, null, null, null) : request);
            return Response.accepted(view(job)).header("Location", "/admin/warm/" + job.id()).build();
        } catch (WarmService.BadWarmRequest e) {
            return Response.status(400).type("application/problem+json")
                    .entity(Map.of("title", "bad warming request", "status", 400, "detail", e.getMessage())).build();
        }
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response status(@PathParam("id") String id) {
        WarmJob job = warming.job(id);
        if (job == null) {
            return Response.status(404).type("application/problem+json")
                    .entity(Map.of("title", "no such warming job", "status", 404, "detail", id)).build();
        }
        return Response.ok(view(job)).build();
    }

    /** The JSON body: progress and per-URL results. */
    public record View(String id, int total, int done, int failed, boolean complete, java.util.List<WarmJob.Result> results) {
    }

    static View view(WarmJob job) {
        return new View(job.id(), job.total(), job.done(), job.failed(), job.complete(), job.results());
    }
}
