package dev.meridian.ratelimit.grpc;

import dev.meridian.ratelimit.limiter.RateLimitDecider;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.logging.Log;
import jakarta.inject.Inject;

/** {@code envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit}, served on the HTTP port. */
@GrpcService
public class EnvoyRateLimitService extends RateLimitServiceGrpc.RateLimitServiceImplBase {

    @Inject
    RateLimitDecider decider;

    @Override
    public void shouldRateLimit(RateLimitRequest request, StreamObserver<RateLimitResponse> observer) {
        try {
            decider.decide(EnvoyMapping.query(request)).subscribe().with(decision -> {
                observer.onNext(EnvoyMapping.response(decision));
                observer.onCompleted();
            }, failure -> {
                Log.warnf("ShouldRateLimit failed: %s", failure.toString());
                observer.onError(Status.INTERNAL.withDescription("rate-limit decision failed").asRuntimeException());
            });
        } catch (InvalidRequestException e) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
    }
}
