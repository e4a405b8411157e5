package dev.meridian.ratelimit.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.meridian.ratelimit.grpc.EnvoyMapping;
import dev.meridian.ratelimit.grpc.InvalidRequestException;
import dev.meridian.ratelimit.limiter.Code;
import dev.meridian.ratelimit.limiter.RateLimitDecider;
import dev.meridian.ratelimit.limiter.RateLimitQuery;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /json}: a {@code RateLimitRequest} in proto JSON, answered with a
 * {@code RateLimitResponse}; 200 when OK, 429 when over the limit, as envoyproxy/ratelimit does.
 */
@Path("/json")
public class JsonResource {

    private static final int MAX_BODY = 256 * 1024;
    // Zero counts (limitRemaining: 0) are the interesting ones here: print them rather than omit them.
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    @Inject
    RateLimitDecider decider;

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> shouldRateLimit(String body) {
        RateLimitQuery query;
        try {
            if (body == null || body.isBlank()) {
                throw new InvalidRequestException("request body must be a JSON RateLimitRequest");
            }
            if (body.length() > MAX_BODY) {
                throw new InvalidRequestException("request body is over " + MAX_BODY + " bytes");
            }
            RateLimitRequest.Builder request = RateLimitRequest.newBuilder();
            PARSER.merge(body, request);
            query = EnvoyMapping.query(request.build());
        } catch (InvalidProtocolBufferException e) {
            return Uni.createFrom().item(Problems.badRequest("invalid RateLimitRequest JSON: " + e.getMessage()));
        } catch (InvalidRequestException e) {
            return Uni.createFrom().item(Problems.badRequest(e.getMessage()));
        }
        return decider.decide(query).map(decision -> {
            try {
                String json = PRINTER.print(EnvoyMapping.response(decision));
                return Response.status(decision.overall() == Code.OVER_LIMIT ? 429 : 200)
                        .type(MediaType.APPLICATION_JSON).entity(json).build();
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("cannot print a RateLimitResponse", e);
            }
        });
    }
}
