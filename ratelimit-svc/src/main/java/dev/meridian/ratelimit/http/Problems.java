package dev.meridian.ratelimit.http;

import jakarta.ws.rs.core.Response;

import java.util.Map;

/** RFC 9457 problem documents for bad requests. */
final class Problems {

    private Problems() {
    }

    static Response badRequest(String detail) {
        return Response.status(400).type("application/problem+json")
                .entity(Map.of("type", "about:blank", "title", "Bad Request", "status", 400, "detail", detail))
                .build();
    }
}
