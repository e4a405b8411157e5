package dev.meridian.ws.admin;

import dev.meridian.contracts.ws.v1.ClientPresence;
import dev.meridian.contracts.ws.v1.ClusterStatusRequest;
import dev.meridian.contracts.ws.v1.ClusterStatusResponse;
import dev.meridian.contracts.ws.v1.DrainRequest;
import dev.meridian.contracts.ws.v1.DrainResponse;
import dev.meridian.contracts.ws.v1.HistoryRequest;
import dev.meridian.contracts.ws.v1.HistoryResponse;
import dev.meridian.contracts.ws.v1.NodeStatus;
import dev.meridian.contracts.ws.v1.PresenceRequest;
import dev.meridian.contracts.ws.v1.PresenceResponse;
import dev.meridian.contracts.ws.v1.PublishRequest;
import dev.meridian.contracts.ws.v1.PublishResponse;
import dev.meridian.contracts.ws.v1.WsCluster;
import dev.meridian.ws.WsRuntime;
import dev.meridian.ws.cluster.Membership;
import dev.meridian.ws.protocol.CommandException;
import dev.meridian.ws.protocol.Replies;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/** gRPC {@code meridian.ws.v1.WsCluster}: the server API and node operations. */
@GrpcService
public class WsGrpcService implements WsCluster {

    @Inject
    ServerApi api;

    @Inject
    WsRuntime runtime;

    @Override
    public Uni<PublishResponse> publish(PublishRequest request) {
        return guard(() -> api.publish(request.getChannel(), request.getDataJson())
                .map(p -> PublishResponse.newBuilder().setOffset(p.offset()).setEpoch(p.epoch()).build()));
    }

    @Override
    public Uni<HistoryResponse> history(HistoryRequest request) {
        return guard(() -> api.history(request.getChannel(), request.getSinceOffset(), request.getSinceEpoch(), request.getLimit())
                .map(page -> {
                    HistoryResponse.Builder response = HistoryResponse.newBuilder()
                            .setOffset(page.position().offset()).setEpoch(page.position().epoch());
                    page.publications().forEach(p -> response.addPublications(dev.meridian.contracts.ws.v1.Publication.newBuilder()
                            .setOffset(p.offset()).setDataJson(p.data()).setInfoJson(p.info() == null ? "" : p.info())));
                    return response.build();
                }));
    }

    @Override
    public Uni<PresenceResponse> presence(PresenceRequest request) {
        return guard(() -> api.presence(request.getChannel()).map(clients -> {
            PresenceResponse.Builder response = PresenceResponse.newBuilder().setNumClients(clients.size());
            Set<String> users = new HashSet<>();
            clients.forEach((client, info) -> {
                String user = Replies.userOf(info);
                users.add(user);
                response.addClients(ClientPresence.newBuilder().setClient(client).setUser(user));
            });
            return response.setNumUsers(users.size()).build();
        }));
    }

    @Override
    public Uni<DrainResponse> drain(DrainRequest request) {
        int open = runtime.drain(request.getBatchSize(), Duration.ofMillis(request.getBatchIntervalMillis()));
        return Uni.createFrom().item(DrainResponse.newBuilder().setConnections(open).build());
    }

    @Override
    public Uni<ClusterStatusResponse> clusterStatus(ClusterStatusRequest request) {
        long now = System.currentTimeMillis();
        ClusterStatusResponse.Builder response = ClusterStatusResponse.newBuilder();
        runtime.nodes().forEach(n -> response.addNodes(NodeStatus.newBuilder().setId(n.id()).setAddress(n.address())
                .setConnections(n.connections()).setSubscriptions((int) n.subscriptions()).setDraining(n.draining())
                .setHeartbeatAgeMillis(Math.max(0, now - n.at()))));
        return Uni.createFrom().item(response.setImbalance(Membership.imbalance(runtime.nodes())).build());
    }

    private static <T> Uni<T> guard(Supplier<Uni<T>> call) {
        try {
            return call.get().onFailure(CommandException.class).transform(e -> status((CommandException) e))
                    .onFailure(e -> !(e instanceof io.grpc.StatusRuntimeException))
                    .transform(e -> Status.UNAVAILABLE.withDescription("broker unavailable: " + e.getMessage()).asRuntimeException());
        } catch (CommandException e) {
            return Uni.createFrom().failure(status(e));
        }
    }

    private static RuntimeException status(CommandException e) {
        Status status = switch (e.error()) {
            case UNKNOWN_CHANNEL -> Status.NOT_FOUND;
            case NOT_AVAILABLE -> Status.FAILED_PRECONDITION;
            case UNRECOVERABLE_POSITION -> Status.OUT_OF_RANGE;
            default -> Status.INVALID_ARGUMENT;
        };
        return status.withDescription(e.error().code() + " " + e.getMessage()).asRuntimeException();
    }
}
