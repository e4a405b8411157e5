package dev.meridian.ws.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One command from a client. {@code method} is null for a field this server does not know
 * ({@code unknownField} names it); a command with no method at all is the client's pong.
 */
public record ClientCommand(long id, Method method, String unknownField, JsonNode params) {

    public boolean isPong() {
        return method == null && unknownField == null;
    }

    public String text(String field) {
        JsonNode value = params.get(field);
        return value == null || value.isNull() ? "" : value.asText("");
    }

    public boolean flag(String field) {
        JsonNode value = params.get(field);
        return value != null && value.asBoolean(false);
    }

    public long number(String field) {
        JsonNode value = params.get(field);
        return value == null ? 0 : value.asLong(0);
    }

    public JsonNode node(String field) {
        return params.get(field);
    }
}
