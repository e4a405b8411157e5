package dev.meridian.ratelimit.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.meridian.platform.transport.CoalescedFlushes;
import dev.meridian.ratelimit.limiter.RateLimitDecider;
import dev.meridian.ratelimit.limiter.RateLimitQuery;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * {@code envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit}, served on the HTTP port by
 * Vert.x's own gRPC server on a route of its own rather than through Quarkus's grpc-java bridge:
 * the answer leaves as one {@code end(message)} — two flushed writes (headers with the message,
 * then the trailers) where the bridge makes three for a unary call, which at tens of thousands of
 * decisions a second is a third of the service's write system calls. Invalid requests (malformed,
 * oversized, or missing what Envoy always sends) get INVALID_ARGUMENT with the reason; a failed
 * decision INTERNAL.
 */
@ApplicationScoped
public class EnvoyRateLimitRoute {

    static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    static final String PATH = "/" + RateLimitServiceGrpc.getShouldRateLimitMethod().getFullMethodName();

    /**
     * Parsed straight from the message's bytes: grpc-java's marshaller reads them through an
     * InputStream, which costs a stream decoder per call. A message that does not parse is a
     * CodecException, which Vert.x hands to the call's invalid-message handler.
     */
    private static final ServiceMethod<RateLimitRequest, RateLimitResponse> SHOULD_RATE_LIMIT = ServiceMethod.server(
            ServiceName.create(RateLimitServiceGrpc.SERVICE_NAME), "ShouldRateLimit", GrpcMessageEncoder.encoder(), message -> {
                try {
                    return RateLimitRequest.parseFrom(message.payload().getBytes());
                } catch (InvalidProtocolBufferException e) {
                    throw new CodecException(e);
                }
            });

    @Inject
    RateLimitDecider decider;

    void install(@Observes Router router, Vertx vertx) {
        // The same inbound limit as grpc-java's (which served this method before), not Vert.x's 256 KiB.
        GrpcServer server = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(MAX_MESSAGE_BYTES));
        server.callHandler(SHOULD_RATE_LIMIT, this::shouldRateLimit);
        // Ahead of every other route: Quarkus mounts its generic gRPC route last, and no other route may see this path.
        router.route(PATH).order(Integer.MIN_VALUE).handler(context -> {
            // Answers completed together by one Redis batch reply leave this connection in one write.
            CoalescedFlushes.install(context.request().connection());
            server.handle(context.request());
        });
    }

    private void shouldRateLimit(GrpcServerRequest<RateLimitRequest, RateLimitResponse> call) {
        // Without this handler Vert.x drops a message it cannot read and resets the stream (CANCELLED).
        call.invalidMessageHandler(invalid -> call.response().status(GrpcStatus.INVALID_ARGUMENT)
                .statusMessage(invalid instanceof MessageSizeOverflowException
                        ? "request larger than " + MAX_MESSAGE_BYTES + " bytes"
                        : "malformed RateLimitRequest").end());
        call.handler(request -> {
            GrpcServerResponse<RateLimitRequest, RateLimitResponse> response = call.response();
            RateLimitQuery query;
            try {
                query = EnvoyMapping.query(request);
            } catch (InvalidRequestException e) {
                response.status(GrpcStatus.INVALID_ARGUMENT).statusMessage(e.getMessage()).end();
                return;
            }
            decider.decide(query).subscribe().with(decision -> response.end(EnvoyMapping.response(decision)), failure -> {
                Log.warnf("ShouldRateLimit failed: %s", failure.toString());
                response.status(GrpcStatus.INTERNAL).statusMessage("rate-limit decision failed").end();
            });
        });
    }
}
