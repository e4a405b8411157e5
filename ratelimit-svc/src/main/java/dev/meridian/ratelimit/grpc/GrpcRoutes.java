package dev.meridian.ratelimit.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.meridian.contracts.ratelimit.v1.CheckRequest;
import dev.meridian.contracts.ratelimit.v1.RateLimiterGrpc;
import dev.meridian.platform.transport.CoalescedFlushes;
import dev.meridian.ratelimit.limiter.RateLimitDecider;
import dev.meridian.ratelimit.limiter.RateLimitDecision;
import dev.meridian.ratelimit.limiter.RateLimitQuery;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessageDecoder;
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

import java.util.function.Function;

/**
 * The two decision methods — Envoy's {@code envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit}
 * and Meridian's {@code meridian.ratelimit.v1.RateLimiter/Check} — served on the HTTP port by Vert.x's
 * own gRPC server on routes of their own rather than through Quarkus's grpc-java bridge: the answer
 * leaves as one {@code end(message)}, two writes where the bridge makes three for a unary call, and
 * the request is parsed straight from its bytes (grpc-java's marshaller reads through an
 * InputStream). Requests that do not parse, exceed 4 MiB, or lack what the method needs get
 * INVALID_ARGUMENT with the reason (the bridge had answered a malformed Check "INTERNAL: Half-closed
 * without a request", and Vert.x without a handler resets the stream); a failed decision INTERNAL.
 */
@ApplicationScoped
public class GrpcRoutes {

    /** The same inbound limit as grpc-java's, not Vert.x's 256 KiB. */
    static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    @Inject
    RateLimitDecider decider;

    void install(@Observes Router router, Vertx vertx) {
        GrpcServer server = GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(MAX_MESSAGE_BYTES));
        unary(router, server, RateLimitServiceGrpc.SERVICE_NAME, "ShouldRateLimit", RateLimitRequest.parser(),
                EnvoyMapping::query, EnvoyMapping::response);
        unary(router, server, RateLimiterGrpc.SERVICE_NAME, "Check", CheckRequest.parser(),
                MeridianMapping::query, MeridianMapping::response);
    }

    /**
     * @param query  the request as a query; throws {@link InvalidRequestException} for a request the method cannot serve
     * @param answer the decision as the method's response
     */
    private <Req, Resp extends MessageLite> void unary(Router router, GrpcServer server, String service, String method,
            Parser<Req> parser, Function<Req, RateLimitQuery> query, Function<RateLimitDecision, Resp> answer) {
        ServiceMethod<Req, Resp> serviceMethod = ServiceMethod.server(ServiceName.create(service), method,
                GrpcMessageEncoder.encoder(), decoder(parser));
        server.callHandler(serviceMethod, call -> serve(call, method, query, answer));
        // Ahead of every other route: Quarkus mounts its generic gRPC route last, and no other route may see this path.
        router.route("/" + service + "/" + method).order(Integer.MIN_VALUE).handler(context -> {
            // Answers completed together by one Redis batch reply leave this connection in one write.
            CoalescedFlushes.install(context.request().connection());
            server.handle(context.request());
        });
    }

    private static <T> GrpcMessageDecoder<T> decoder(Parser<T> parser) {
        // A CodecException reaches the call's invalid-message handler.
        return message -> {
            try {
                return parser.parseFrom(message.payload().getBytes());
            } catch (InvalidProtocolBufferException e) {
                throw new CodecException(e);
            }
        };
    }

    private <Req, Resp> void serve(GrpcServerRequest<Req, Resp> call, String method, Function<Req, RateLimitQuery> query,
            Function<RateLimitDecision, Resp> answer) {
        call.invalidMessageHandler(invalid -> call.response().status(GrpcStatus.INVALID_ARGUMENT)
                .statusMessage(invalid instanceof MessageSizeOverflowException
                        ? "request larger than " + MAX_MESSAGE_BYTES + " bytes"
                        : "malformed " + method + " request").end());
        call.handler(request -> {
            GrpcServerResponse<Req, Resp> response = call.response();
            RateLimitQuery asked;
            try {
                asked = query.apply(request);
            } catch (InvalidRequestException e) {
                response.status(GrpcStatus.INVALID_ARGUMENT).statusMessage(e.getMessage()).end();
                return;
            }
            decider.decide(asked).subscribe().with(decision -> response.end(answer.apply(decision)), failure -> {
                Log.warnf("%s failed: %s", method, failure.toString());
                response.status(GrpcStatus.INTERNAL).statusMessage("rate-limit decision failed").end();
            });
        });
    }
}
