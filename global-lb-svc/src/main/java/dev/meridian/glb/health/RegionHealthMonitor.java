package dev.meridian.glb.health;

import dev.meridian.glb.GlbServiceConfig;
import dev.meridian.glb.answer.AnswerBookHolder;
import dev.meridian.glb.config.CheckSpec;
import dev.meridian.glb.config.GlbConfig;
import dev.meridian.glb.config.HealthSettings;
import dev.meridian.glb.config.RegionConfig;
import dev.meridian.platform.metrics.MeterNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.net.NetClient;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs every region's checks on the configured interval, keeps each endpoint's hysteresis state,
 * and tells the answer book when a region's verdict changes. Each change is logged, counted and
 * published on the {@code meridian:glb:events} Redis stream.
 */
@ApplicationScoped
public class RegionHealthMonitor {

    /**
     * One region as the health page shows it.
     *
     * @param healthy        the verdict answers follow (the quorum of fresh observers)
     * @param locallyHealthy this instance's own checks' verdict
     */
    public record RegionState(String name, boolean healthy, boolean locallyHealthy, Instant lastTransition,
            Map<String, EndpointHealth> endpoints) {
    }

    @Inject
    AnswerBookHolder answers;

    @Inject
    Vertx vertx;

    @Inject
    Redis redis;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    @Inject
    GlbServiceConfig serviceConfig;

    private final Map<String, EndpointHealth> endpoints = new ConcurrentHashMap<>();
    private final Map<String, Boolean> regionVerdicts = new ConcurrentHashMap<>();
    private final Map<String, Instant> regionTransitions = new ConcurrentHashMap<>();
    private final BroadcastProcessor<Boolean> localChanges = BroadcastProcessor.create();
    private QuorumTally tally;
    private volatile Set<String> applied = Set.of();
    private volatile String fastest;
    private final Map<String, io.grpc.ManagedChannel> grpcChannels = new ConcurrentHashMap<>();
    private HttpClient http;
    private NetClient tcp;
    private long timer = -1;

    void onStart(@Observes StartupEvent event) {
        GlbConfig config = answers.config();
        HealthSettings settings = config.health();
        int timeout = (int) settings.timeout().toMillis();
        http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(timeout).setKeepAlive(false)
                .setTrustAll(true).setVerifyHost(false));
        tcp = vertx.createNetClient(new NetClientOptions().setConnectTimeout(timeout));
        Instant now = clock.instant();
        tally = new QuorumTally(serviceConfig.observationStaleness().toMillis());
        for (RegionConfig region : config.regions()) {
            regionVerdicts.put(region.name(), true);
            regionTransitions.put(region.name(), now);
            region.checks().forEach(check -> endpoints.put(check.id(), EndpointHealth.initial(now)));
        }
        applied = Set.copyOf(regionVerdicts.keySet());
        answers.onConfigChange(this::configChanged);
        timer = vertx.setPeriodic(0, settings.interval().toMillis(), id -> runChecks(answers.config()));
    }

    /** New regions and checks start healthy; removed ones are forgotten; a new interval restarts the timer. */
    private synchronized void configChanged(GlbConfig next) {
        Instant now = clock.instant();
        Set<String> regionNames = new LinkedHashSet<>();
        Set<String> checkIds = new LinkedHashSet<>();
        for (RegionConfig region : next.regions()) {
            regionNames.add(region.name());
            regionVerdicts.putIfAbsent(region.name(), true);
            regionTransitions.putIfAbsent(region.name(), now);
            for (CheckSpec check : region.checks()) {
                checkIds.add(check.id());
                endpoints.putIfAbsent(check.id(), EndpointHealth.initial(now));
            }
        }
        regionVerdicts.keySet().retainAll(regionNames);
        regionTransitions.keySet().retainAll(regionNames);
        endpoints.keySet().retainAll(checkIds);
        applied = answers.healthyRegions();
        vertx.cancelTimer(timer);
        timer = vertx.setPeriodic(next.health().interval().toMillis(), id -> runChecks(answers.config()));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        grpcChannels.values().forEach(io.grpc.ManagedChannel::shutdownNow);
    }

    public List<RegionState> states() {
        GlbConfig config = answers.config();
        return config.regions().stream().map(region -> {
            Map<String, EndpointHealth> mine = new LinkedHashMap<>();
            region.checks().forEach(check -> mine.put(check.id(), endpoints.get(check.id())));
            return new RegionState(region.name(), applied.contains(region.name()), regionVerdicts.getOrDefault(region.name(), true),
                    regionTransitions.get(region.name()), mine);
        }).toList();
    }

    /** Fires on every change of this instance's own verdicts. */
    public Multi<Boolean> localChanges() {
        return localChanges;
    }

    /** A peer's latest observations (timestamped on receipt, so peers' clocks do not matter). */
    public synchronized void peerObserved(String observer, Map<String, Boolean> verdicts) {
        tally.record(observer, verdicts, clock.millis());
        reevaluate(answers.config());
    }

    public Set<String> freshObservers() {
        return tally.freshObservers(clock.millis());
    }

    private void runChecks(GlbConfig config) {
        synchronized (this) {
            tally.record(serviceConfig.instanceName(), regionVerdicts, clock.millis());
            reevaluate(config);
        }
        HealthSettings settings = config.health();
        for (RegionConfig region : config.regions()) {
            for (CheckSpec check : region.checks()) {
                long started = System.nanoTime();
                probe(check, settings).subscribe().with(
                        error -> record(config, region, check, error, started),
                        failure -> record(config, region, check, String.valueOf(failure.getMessage()), started));
            }
        }
    }

    /** Emits null when the check passed, else why it failed. */
    private io.smallrye.mutiny.Uni<String> probe(CheckSpec check, HealthSettings settings) {
        io.smallrye.mutiny.Uni<String> result = switch (check.kind()) {
            case TCP -> tcp.connect(check.port(), check.host()).map(socket -> {
                socket.closeAndForget();
                return (String) null;
            });
            case GRPC -> grpcHealth(check);
            case HTTP -> http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(check.host()).setPort(check.port())
                            .setURI(check.path()).setSsl(check.tls()).setTimeout(settings.timeout().toMillis()))
                    .chain(request -> request.send())
                    .chain(response -> response.body().map(body -> {
                        if (response.statusCode() >= 400) {
                            return "HTTP " + response.statusCode();
                        }
                        if (check.bodyContains() != null && !body.toString().contains(check.bodyContains())) {
                            return "body does not contain '" + check.bodyContains() + "'";
                        }
                        return (String) null;
                    }));
        };
        return result.ifNoItem().after(settings.timeout()).failWith(() -> new IllegalStateException("timed out"));
    }

    /** grpc.health.v1 Check: SERVING passes; anything else, or no answer, fails. */
    private io.smallrye.mutiny.Uni<String> grpcHealth(CheckSpec check) {
        io.grpc.ManagedChannel channel = grpcChannels.computeIfAbsent(check.id(),
                id -> io.grpc.ManagedChannelBuilder.forAddress(check.host(), check.port()).usePlaintext().build());
        return io.smallrye.mutiny.Uni.createFrom().emitter(emitter -> grpc.health.v1.HealthGrpc.newStub(channel)
                .withDeadlineAfter(answers.config().health().timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .check(grpc.health.v1.HealthOuterClass.HealthCheckRequest.newBuilder().setService(check.path()).build(),
                        new io.grpc.stub.StreamObserver<>() {
                            @Override
                            public void onNext(grpc.health.v1.HealthOuterClass.HealthCheckResponse response) {
                                emitter.complete(response.getStatus() == grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus.SERVING
                                        ? null : "gRPC health " + response.getStatus());
                            }

                            @Override
                            public void onError(Throwable t) {
                                emitter.complete("gRPC health: " + io.grpc.Status.fromThrowable(t).getCode());
                            }

                            @Override
                            public void onCompleted() {
                            }
                        }));
    }

    private synchronized void record(GlbConfig config, RegionConfig region, CheckSpec check, String error, long started) {
        HealthSettings settings = config.health();
        long rtt = (System.nanoTime() - started) / 1_000_000;
        EndpointHealth before = endpoints.get(check.id());
        if (before == null) {
            // The check was removed by a config reload while it ran.
            return;
        }
        EndpointHealth after = before.record(error == null, rtt, error, settings.rise(), settings.fall(), clock.instant());
        endpoints.put(check.id(), after);
        if (before.healthy() != after.healthy()) {
            Log.infof("endpoint=%s healthy=%s reason=%s", check.id(), after.healthy(), error);
        }
        long passing = region.checks().stream().filter(c -> endpoints.containsKey(c.id()) && endpoints.get(c.id()).healthy()).count();
        rankByLatency(config);
        boolean healthy = region.checks().isEmpty() || passing >= Math.ceil(region.healthyShare() * region.checks().size());
        if (regionVerdicts.get(region.name()) != healthy) {
            regionVerdicts.put(region.name(), healthy);
            regionTransitions.put(region.name(), clock.instant());
            Log.warnf("region=%s locally healthy=%s passing=%d/%d", region.name(), healthy, passing, region.checks().size());
            registry.counter(MeterNames.of("glb", "health_transitions"), "region", region.name(),
                    "to", healthy ? "healthy" : "failed").increment();
            publish(region.name(), healthy, passing, region.checks().size());
            tally.record(serviceConfig.instanceName(), regionVerdicts, clock.millis());
            reevaluate(config);
            localChanges.onNext(Boolean.TRUE);
        }
    }

    /** Each region's mean probe RTT over its healthy endpoints; the answers are rebuilt only when the fastest region changes. */
    private void rankByLatency(GlbConfig config) {
        Map<String, Long> rtt = new LinkedHashMap<>();
        for (RegionConfig region : config.regions()) {
            region.checks().stream().map(c -> endpoints.get(c.id()))
                    .filter(e -> e != null && e.healthy() && e.lastRttMillis() >= 0)
                    .mapToLong(EndpointHealth::lastRttMillis).average()
                    .ifPresent(mean -> rtt.put(region.name(), Math.round(mean)));
        }
        String best = rtt.entrySet().stream().min(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        if (best != null && !best.equals(fastest)) {
            fastest = best;
            answers.latenciesChanged(rtt);
        }
    }

    /** Applies the quorum's verdict to the answers when it differs from what they follow now. */
    private void reevaluate(GlbConfig config) {
        Set<String> quorum = tally.healthy(config.regions().stream().map(RegionConfig::name).toList(), clock.millis());
        if (!quorum.equals(applied)) {
            Set<String> lost = new LinkedHashSet<>(applied);
            lost.removeAll(quorum);
            lost.forEach(region -> registry.counter(MeterNames.of("glb", "failover_events"), "region", region).increment());
            Log.warnf("answers now follow healthy=%s (observers %s)", quorum, tally.freshObservers(clock.millis()));
            applied = Set.copyOf(quorum);
            answers.regionsChanged(quorum);
        }
    }

    private void publish(String region, boolean healthy, long passing, int total) {
        Request event = Request.cmd(Command.XADD).arg(serviceConfig.eventStream()).arg("MAXLEN").arg("~").arg(10_000).arg("*")
                .arg("kind").arg("region").arg("region").arg(region).arg("healthy").arg(Boolean.toString(healthy))
                .arg("passing").arg(passing + "/" + total).arg("at").arg(clock.instant().toString());
        redis.send(event).subscribe().with(ok -> { }, err -> Log.debugf("region event not published: %s", err.toString()));
    }
}
