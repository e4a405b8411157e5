package dev.meridian.glb;

import dev.meridian.contracts.glb.v1.GlobalLbGrpc;
import dev.meridian.contracts.glb.v1.Observation;
import dev.meridian.contracts.glb.v1.RegionObservation;
import dev.meridian.contracts.glb.v1.WatchRequest;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Another global-lb instance, as far as the Watch protocol goes: it streams the verdicts a test
 * gives it every 100 ms, or says nothing while silent (then it does not vote).
 */
public final class FakePeer {

    private final Server server;
    private final List<StreamObserver<Observation>> watchers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    private volatile Map<String, Boolean> verdicts;
    private volatile boolean serving = true;

    public FakePeer(int port) throws IOException {
        // Built from the method descriptor rather than by extending GlobalLbImplBase, so Quarkus does
        // not mistake this test helper for one of the application's gRPC services.
        ServerServiceDefinition watchOnly = ServerServiceDefinition.builder(GlobalLbGrpc.SERVICE_NAME)
                .addMethod(GlobalLbGrpc.getWatchMethod(), ServerCalls.asyncServerStreamingCall(
                        (WatchRequest request, StreamObserver<Observation> observer) -> {
                            ((ServerCallStreamObserver<Observation>) observer).setOnCancelHandler(() -> watchers.remove(observer));
                            watchers.add(observer);
                        }))
                .build();
        // A grpc.health.v1 endpoint, for the gRPC health checks of a region.
        ServerServiceDefinition health = ServerServiceDefinition.builder(grpc.health.v1.HealthGrpc.SERVICE_NAME)
                .addMethod(grpc.health.v1.HealthGrpc.getCheckMethod(), ServerCalls.asyncUnaryCall(
                        (grpc.health.v1.HealthOuterClass.HealthCheckRequest request,
                                StreamObserver<grpc.health.v1.HealthOuterClass.HealthCheckResponse> observer) -> {
                            observer.onNext(grpc.health.v1.HealthOuterClass.HealthCheckResponse.newBuilder()
                                    .setStatus(serving ? grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus.SERVING
                                            : grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus.NOT_SERVING)
                                    .build());
                            observer.onCompleted();
                        }))
                .build();
        server = ServerBuilder.forPort(port).addService(watchOnly).addService(health).build().start();
        ticker.scheduleAtFixedRate(this::tick, 100, 100, TimeUnit.MILLISECONDS);
    }

    /** What its grpc.health.v1 Check answers. */
    public void serving(boolean isServing) {
        this.serving = isServing;
    }

    public int port() {
        return server.getPort();
    }

    /** Report these verdicts from now on; null: fall silent. */
    public void report(Map<String, Boolean> regions) {
        this.verdicts = regions;
    }

    private void tick() {
        Map<String, Boolean> current = verdicts;
        if (current == null) {
            return;
        }
        Observation.Builder observation = Observation.newBuilder().setObserver("fake-peer").setObservedAtMillis(System.currentTimeMillis())
                .putAnswersServed("eu", 1000);
        current.forEach((region, healthy) -> observation.addRegions(RegionObservation.newBuilder().setRegion(region).setHealthy(healthy)));
        for (StreamObserver<Observation> watcher : watchers) {
            try {
                watcher.onNext(observation.build());
            } catch (RuntimeException e) {
                watchers.remove(watcher);
            }
        }
    }

    public void stop() {
        ticker.shutdownNow();
        server.shutdownNow();
    }
}
