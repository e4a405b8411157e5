package dev.meridian.router.admin;

import dev.meridian.contracts.router.v1.BackendStatus;
import dev.meridian.contracts.router.v1.ReplicaRouter;
import dev.meridian.contracts.router.v1.StatusRequest;
import dev.meridian.contracts.router.v1.StatusResponse;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

/** gRPC {@code meridian.router.v1.ReplicaRouter}: the same picture as {@code /metrics/replica-routing}. */
@GrpcService
public class RouterStatusService implements ReplicaRouter {

    @Inject
    RoutingStatus status;

    @Override
    public Uni<StatusResponse> status(StatusRequest request) {
        RoutingStatus.Snapshot snapshot = status.snapshot();
        StatusResponse.Builder response = StatusResponse.newBuilder().setConsistency(snapshot.consistency())
                .setPrimaryReadShare(snapshot.primaryReadShare()).setClients(snapshot.clients())
                .setReplicaRoutingEnabled(snapshot.replicaRoutingEnabled());
        for (RoutingStatus.Backend backend : snapshot.backends()) {
            response.addBackends(BackendStatus.newBuilder().setName(backend.name()).setRole(backend.role())
                    .setState(backend.state()).setAddress(backend.address()).setLagBytes(backend.lagBytes())
                    .setLagSeconds(backend.lagSeconds()).setStatementsRouted(backend.statementsRouted())
                    .setErrors(backend.errors()).setOutstanding(backend.outstanding())
                    .setCircuitBreaker(backend.circuitBreaker()).setTimeline(backend.timeline()));
        }
        return Uni.createFrom().item(response.build());
    }
}
