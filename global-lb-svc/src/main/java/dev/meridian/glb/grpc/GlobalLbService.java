package dev.meridian.glb.grpc;

import dev.meridian.contracts.glb.v1.GlobalLb;
import dev.meridian.contracts.glb.v1.Observation;
import dev.meridian.contracts.glb.v1.RegionObservation;
import dev.meridian.contracts.glb.v1.ResolveRequest;
import dev.meridian.contracts.glb.v1.ResolveResponse;
import dev.meridian.contracts.glb.v1.WatchRequest;
import dev.meridian.glb.GlbServiceConfig;
import dev.meridian.glb.answer.AnswerBook;
import dev.meridian.glb.answer.AnswerBookHolder;
import dev.meridian.glb.config.GlobalName;
import dev.meridian.glb.config.RegionConfig;
import dev.meridian.glb.geo.GeoLocator;
import dev.meridian.glb.health.RegionHealthMonitor;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Optional;

/** {@code meridian.glb.v1.GlobalLb}. */
@GrpcService
public class GlobalLbService implements GlobalLb {

    @Inject
    AnswerBookHolder answers;

    @Inject
    GeoLocator locator;

    @Inject
    RegionHealthMonitor monitor;

    @Inject
    GlbServiceConfig config;

    @Inject
    Clock clock;

    @Inject
    dev.meridian.glb.dns.DnsMetrics metrics;

    @Override
    public Uni<ResolveResponse> resolve(ResolveRequest request) {
        try {
            Name name = Name.fromString(request.getName().endsWith(".") ? request.getName() : request.getName() + ".");
            AnswerBook book = answers.book();
            Optional<GlobalName> global = book.config().names().stream().filter(n -> n.name().equals(name)).findFirst();
            if (global.isEmpty()) {
                return Uni.createFrom().failure(Status.NOT_FOUND.withDescription("no global name " + name).asRuntimeException());
            }
            InetAddress client = literal(request.getClientAddress());
            RegionConfig region = book.select(global.get(), locator.locate(client));
            ResolveResponse.Builder response = ResolveResponse.newBuilder().setRegion(region.name())
                    .setPolicy(global.get().policy().yamlName()).setTtlSeconds((int) global.get().ttl());
            region.ipv4().forEach(a -> response.addIpv4(a.getHostAddress()));
            region.ipv6().forEach(a -> response.addIpv6(a.getHostAddress()));
            return Uni.createFrom().item(response.build());
        } catch (TextParseException | UnknownHostException e) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    @Override
    public Multi<Observation> watch(WatchRequest request) {
        long interval = answers.config().health().interval().toMillis();
        Multi<Object> ticks = Multi.createFrom().ticks().every(java.time.Duration.ofMillis(interval)).map(t -> t);
        Multi<Object> changes = monitor.localChanges().map(c -> c);
        return Multi.createBy().merging().streams(Multi.createFrom().item(Boolean.TRUE), ticks, changes)
                .map(ignored -> observation());
    }

    private Observation observation() {
        Observation.Builder observation = Observation.newBuilder().setObserver(config.instanceName())
                .setObservedAtMillis(clock.millis()).putAllAnswersServed(metrics.answersPerRegion());
        monitor.states().forEach(state -> observation.addRegions(RegionObservation.newBuilder()
                .setRegion(state.name()).setHealthy(state.locallyHealthy())
                .setPassing((int) state.endpoints().values().stream().filter(e -> e.healthy()).count())
                .setTotal(state.endpoints().size())
                .setLastTransitionMillis(state.lastTransition().toEpochMilli())));
        return observation.build();
    }

    private static InetAddress literal(String text) throws UnknownHostException {
        if (text.isEmpty() || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            throw new UnknownHostException("client_address must be an IP address literal, got '" + text + "'");
        }
        return InetAddress.getByName(text);
    }
}
