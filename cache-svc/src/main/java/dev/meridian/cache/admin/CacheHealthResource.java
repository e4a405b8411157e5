package dev.meridian.cache.admin;

import dev.meridian.cache.proxy.CacheRuntime;
import dev.meridian.platform.flags.Flag;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /health/cache}: hit ratio over 1/5/15 minutes, entries and bytes per tier, Redis and origin state. */
@Path("/health/cache")
public class CacheHealthResource {

    @Inject
    CacheRuntime runtime;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> report() {
        Map<String, Object> body = new LinkedHashMap<>();
        HitWindows windows = runtime.metrics().windows();
        body.put("enabled", runtime.flags().isEnabled(Flag.EDGE_CACHE));
        body.put("hitRatio", Map.of("1m", finite(windows.ratio(1)), "5m", finite(windows.ratio(5)), "15m", finite(windows.ratio(15))));
        body.put("l1", Map.of("entries", runtime.store().l1().entries(), "bytes", runtime.store().l1().bytes()));
        body.put("origin", Map.of("url", runtime.config().origin(), "lastFailureMillis", runtime.lastOriginFailureMillis()));
        body.put("coalesced", (long) runtime.metrics().coalescedCount());
        if (!runtime.store().sharedTier()) {
            body.put("l2", Map.of("state", "not configured"));
            return Uni.createFrom().item(body);
        }
        return Uni.createFrom().completionStage(() -> runtime.store().l2Stats().toCompletionStage())
                .map(stats -> {
                    Map<String, Object> l2 = new LinkedHashMap<>(stats);
                    l2.put("state", "up");
                    return l2;
                })
                .onFailure().recoverWithItem(e -> new LinkedHashMap<>(Map.of("state", "down: " + e.getMessage())))
                .map(l2 -> {
                    l2.put("invalidationsFollowed", runtime.store().following());
                    l2.put("errors", runtime.store().l2Errors());
                    body.put("l2", l2);
                    return body;
                });
    }

    private static Object finite(double ratio) {
        return Double.isNaN(ratio) ? null : Math.round(ratio * 1000) / 1000.0;
    }
}
