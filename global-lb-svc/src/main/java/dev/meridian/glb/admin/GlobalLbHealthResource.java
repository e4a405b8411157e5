package dev.meridian.glb.admin;

import dev.meridian.glb.answer.AnswerBookHolder;
import dev.meridian.glb.dns.DnsMetrics;
import dev.meridian.glb.health.RegionHealthMonitor;
import dev.meridian.platform.flags.Flag;
import dev.meridian.platform.flags.RuntimeFlags;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

/** {@code GET /health/global-lb}: every region's state and endpoints (last transition, RTT), the answer plan, answers served. */
@Path("/health/global-lb")
public class GlobalLbHealthResource {

    /** The JSON body. */
    public record Report(boolean enabled, String zone, List<RegionHealthMonitor.RegionState> regions, Map<String, Object> answers,
            Map<String, Long> answersPerRegion) {
    }

    @Inject
    RegionHealthMonitor monitor;

    @Inject
    AnswerBookHolder answers;

    @Inject
    DnsMetrics metrics;

    @Inject
    RuntimeFlags flags;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Report report() {
        return new Report(flags.isEnabled(Flag.GLOBAL_LB), answers.config().zone().toString(), monitor.states(),
                answers.book().describe(), metrics.answersPerRegion());
    }
}
