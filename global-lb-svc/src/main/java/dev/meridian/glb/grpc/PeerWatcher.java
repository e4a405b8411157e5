package dev.meridian.glb.grpc;

import dev.meridian.contracts.glb.v1.MutinyGlobalLbGrpc;
import dev.meridian.contracts.glb.v1.Observation;
import dev.meridian.contracts.glb.v1.RegionObservation;
import dev.meridian.contracts.glb.v1.WatchRequest;
import dev.meridian.glb.GlbServiceConfig;
import dev.meridian.glb.health.RegionHealthMonitor;
import dev.meridian.platform.redis.Backoff;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Follows every peer's {@code Watch} stream and hands its observations to the quorum; a broken
 * stream is reopened with capped backoff. A peer that stays silent simply stops voting.
 */
@ApplicationScoped
public class PeerWatcher {

    @Inject
    GlbServiceConfig config;

    @Inject
    RegionHealthMonitor monitor;

    @Inject
    Vertx vertx;

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> peerAnswers = new ConcurrentHashMap<>();
    private final Map<String, Cancellable> streams = new ConcurrentHashMap<>();
    private final Backoff backoff = Backoff.standard();
    private volatile boolean stopped;

    void onStart(@Observes StartupEvent event) {
        for (String peer : config.peers().orElse(List.of())) {
            if (!peer.isBlank()) {
                String[] hostPort = peer.strip().split(":");
                channels.put(peer, ManagedChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1])).usePlaintext().build());
                follow(peer, 0);
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        streams.values().forEach(Cancellable::cancel);
        channels.values().forEach(ManagedChannel::shutdownNow);
    }

    private void follow(String peer, int attempt) {
        if (stopped) {
            return;
        }
        WatchRequest request = WatchRequest.newBuilder().setObserver(config.instanceName()).build();
        streams.put(peer, MutinyGlobalLbGrpc.newMutinyStub(channels.get(peer)).watch(request).subscribe().with(
                this::observed,
                failure -> retry(peer, attempt, failure.toString()),
                () -> retry(peer, 0, "stream ended")));
    }

    private void observed(Observation observation) {
        Map<String, Boolean> verdicts = new LinkedHashMap<>();
        for (RegionObservation region : observation.getRegionsList()) {
            verdicts.put(region.getRegion(), region.getHealthy());
        }
        monitor.peerObserved(observation.getObserver(), verdicts);
        peerAnswers.put(observation.getObserver(), Map.copyOf(observation.getAnswersServedMap()));
    }

    /** Each peer's latest count of answers served per region. */
    public Map<String, Map<String, Long>> peerAnswers() {
        return Map.copyOf(peerAnswers);
    }

    private void retry(String peer, int attempt, String reason) {
        if (stopped) {
            return;
        }
        long delay = backoff.delay(attempt, ThreadLocalRandom.current()::nextDouble).toMillis();
        if (attempt == 0) {
            Log.warnf("peer=%s observations interrupted (%s), retrying", peer, reason);
        }
        vertx.setTimer(delay, id -> follow(peer, attempt + 1));
    }
}
