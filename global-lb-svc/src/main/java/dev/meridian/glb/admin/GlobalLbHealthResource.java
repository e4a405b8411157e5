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
    public record Report(boolean enabled, String zone, String instance, java.time.Instant configLoadedAt, String lastConfigError, List<RegionHealthMonitor.RegionState> regions,
            Map<String, Object> answers, Map<String, Long> answersPerRegion, java.util.Set<String> freshObservers,
            Map<String, Map<String, Long>> peerAnswersPerRegion, Map<String, Long> globalAnswersPerRegion) {
    }

    @Inject
    RegionHealthMonitor monitor;

    @Inject
    AnswerBookHolder answers;

    @Inject
    DnsMetrics metrics;

    @Inject
    RuntimeFlags flags;

    @Inject
    dev.meridian.glb.grpc.PeerWatcher peers;

    @Inject
    dev.meridian.glb.GlbServiceConfig config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Report report() {
        Map<String, Long> own = metrics.answersPerRegion();
        Map<String, Map<String, Long>> fromPeers = peers.peerAnswers();
        Map<String, Long> global = new java.util.TreeMap<>(own);
        fromPeers.values().forEach(counts -> counts.forEach((region, count) -> global.merge(region, count, Long::sum)));
        return new Report(flags.isEnabled(Flag.GLOBAL_LB), answers.config().zone().toString(), config.instanceName(),
                answers.configLoadedAt(), answers.lastConfigError(),
                monitor.states(), answers.book().describe(), own, monitor.freshObservers(), fromPeers, global);
    }
}
