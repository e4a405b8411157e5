package dev.meridian.cache.admin;

import dev.meridian.cache.proxy.CacheRuntime;
import dev.meridian.cache.store.Purge;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * {@code POST /admin/purge} with {@code {"urls": […], "prefixes": […], "tags": […], "soft": false}}:
 * URLs absolute (one host) or as paths (every host), path prefixes, surrogate keys. Hard purges
 * remove; soft ones keep entries as stale (served while revalidating or on origin errors).
 */
@Path("/admin/purge")
public class PurgeResource {

    @Inject
    CacheRuntime runtime;

    @Inject
    dev.meridian.cache.cdn.CdnPurges cdns;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> purge(Purge purge) {
        if (purge == null || purge.isEmpty()) {
            return Uni.createFrom().item(Response.status(400).type("application/problem+json")
                    .entity(Map.of("title", "nothing to purge", "status", 400,
                            "detail", "give at least one of urls, prefixes, tags")).build());
        }
        for (String prefix : purge.prefixes()) {
            if (!prefix.startsWith("/")) {
                return Uni.createFrom().item(Response.status(400).type("application/problem+json")
                        .entity(Map.of("title", "bad prefix", "status", 400, "detail", "a prefix is a path starting with /: " + prefix)).build());
            }
        }
        return Uni.createFrom().completionStage(() -> runtime.store().purge(purge).toCompletionStage())
                .chain(count -> !cdns.any() ? Uni.createFrom().item(Map.<String, Object>of("purged", count, "soft", purge.soft()))
                        : Uni.createFrom().item(() -> Map.<String, Object>of("purged", count, "soft", purge.soft(), "cdn", cdns.purge(purge)))
                        .runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool()))
                .map(body -> Response.ok(body).build());
    }
}
