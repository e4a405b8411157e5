package dev.meridian.ws.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meridian.ws.WsRuntime;
import dev.meridian.ws.protocol.CommandException;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP for applications and operators: {@code POST /api/publish}, {@code GET /api/history},
 * {@code GET /api/presence}, {@code POST /admin/drain}. Errors are problem JSON naming the protocol
 * error (e.g. 102 unknown channel).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ApiResource {

    @Inject
    ServerApi api;

    @Inject
    WsRuntime runtime;

    @POST
    @Path("api/publish")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> publish(JsonNode body) {
        if (body == null || !body.path("channel").isTextual() || !body.has("data")) {
            return Uni.createFrom().item(problem(400, "give {\"channel\": \"…\", \"data\": <any JSON>}"));
        }
        return guard(() -> api.publish(body.get("channel").asText(), body.get("data").toString())
                .map(p -> Response.ok(Map.of("offset", p.offset(), "epoch", p.epoch())).build()));
    }

    @GET
    @Path("api/history")
    public Uni<Response> history(@QueryParam("channel") String channel, @QueryParam("since") long since,
            @QueryParam("epoch") String epoch, @QueryParam("limit") int limit) {
        return guard(() -> api.history(channel, since, epoch, limit).map(page -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("offset", page.position().offset());
            body.put("epoch", page.position().epoch());
            body.put("publications", ServerApi.view(page.publications()));
            return Response.ok(body).build();
        }));
    }

    @GET
    @Path("api/presence")
    public Uni<Response> presence(@QueryParam("channel") String channel) {
        return guard(() -> api.presence(channel).map(clients -> Response.ok(Map.of("clients", clients.keySet(),
                "numClients", clients.size())).build()));
    }

    @POST
    @Path("admin/drain")
    public Response drain(@QueryParam("batch") int batch, @QueryParam("intervalMillis") long intervalMillis) {
        if (batch < 0 || intervalMillis < 0) {
            return problem(400, "batch and intervalMillis must not be negative");
        }
        int open = runtime.drain(batch, Duration.ofMillis(intervalMillis));
        return Response.accepted(Map.of("node", runtime.nodeId(), "draining", true, "connections", open)).build();
    }

    private static Uni<Response> guard(java.util.function.Supplier<Uni<Response>> call) {
        try {
            return call.get().onFailure(CommandException.class).recoverWithItem(e -> problem((CommandException) e))
                    .onFailure().recoverWithItem(e -> problem(503, "broker unavailable: " + e.getMessage()));
        } catch (CommandException e) {
            return Uni.createFrom().item(problem(e));
        }
    }

    private static Response problem(CommandException e) {
        int status = switch (e.error()) {
            case UNKNOWN_CHANNEL -> 404;
            case NOT_AVAILABLE -> 409;
            case UNRECOVERABLE_POSITION -> 410;
            default -> 400;
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", e.error().message());
        body.put("status", status);
        body.put("code", e.error().code());
        body.put("detail", e.getMessage());
        return Response.status(status).type("application/problem+json").entity(body).build();
    }

    private static Response problem(int status, String detail) {
        return Response.status(status).type("application/problem+json").entity(Map.of("status", status, "detail", detail)).build();
    }
}
