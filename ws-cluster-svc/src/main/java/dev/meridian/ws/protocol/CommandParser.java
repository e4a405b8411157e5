package dev.meridian.ws.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a WebSocket text message into commands: one JSON object per line (the JSON protocol lets a
 * client batch several), each {@code {"id":N,"<method>":{…}}}. Pure: no sockets, no state.
 */
public final class CommandParser {

    private final ObjectMapper json;
    private final int maxCommands;

    public CommandParser(ObjectMapper json, int maxCommands) {
        this.json = json;
        this.maxCommands = maxCommands;
    }

    /** @throws DisconnectException (bad request) for anything that is not a list of command objects */
    public List<ClientCommand> parse(String message) {
        List<ClientCommand> commands = new ArrayList<>(1);
        int start = 0;
        while (start <= message.length()) {
            int end = message.indexOf('\n', start);
            if (end < 0) {
                end = message.length();
            }
            String line = message.substring(start, end).trim();
            if (!line.isEmpty()) {
                if (commands.size() == maxCommands) {
                    throw new DisconnectException(Disconnect.BAD_REQUEST, "more than " + maxCommands + " commands in one message");
                }
                commands.add(command(line));
            }
            start = end + 1;
        }
        if (commands.isEmpty()) {
            throw new DisconnectException(Disconnect.BAD_REQUEST, "empty message");
        }
        return commands;
    }

    private ClientCommand command(String line) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JsonProcessingException e) {
            throw new DisconnectException(Disconnect.BAD_REQUEST, "malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new DisconnectException(Disconnect.BAD_REQUEST, "a command must be a JSON object");
        }
        long id = 0;
        JsonNode idNode = node.get("id");
        if (idNode != null) {
            if (!idNode.canConvertToLong() || idNode.asLong() < 0 || !idNode.isIntegralNumber()) {
                throw new DisconnectException(Disconnect.BAD_REQUEST, "id must be a non-negative integer");
            }
            id = idNode.asLong();
        }
        Method method = null;
        String unknown = null;
        JsonNode params = NullNode.getInstance();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("id")) {
                continue;
            }
            if (method != null || unknown != null) {
                throw new DisconnectException(Disconnect.BAD_REQUEST, "one method per command");
            }
            method = Method.byField(field.getKey());
            if (method == null) {
                unknown = field.getKey();
            } else if (!field.getValue().isObject()) {
                throw new DisconnectException(Disconnect.BAD_REQUEST, field.getKey() + " must be an object");
            }
            params = field.getValue();
        }
        if (method == null && unknown == null && id != 0) {
            throw new DisconnectException(Disconnect.BAD_REQUEST, "command " + id + " names no method");
        }
        return new ClientCommand(id, method, unknown, params);
    }
}
