package dev.meridian.ws.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.meridian.ws.broker.Publication;

import java.util.List;

/** Builds the server's frames of the JSON protocol: replies to commands and pushes. Pure functions. */
public final class Replies {

    /** The server's ping; the client answers with the same empty object. */
    public static final String PING = "{}";

    private final ObjectMapper json;

    public Replies(ObjectMapper json) {
        this.json = json;
    }

    public ObjectNode object() {
        return json.createObjectNode();
    }

    public ArrayNode array() {
        return json.createArrayNode();
    }

    /** {@code {"id":N,"<method>":{…}}}. */
    public String reply(long id, Method method, ObjectNode result) {
        ObjectNode reply = json.createObjectNode();
        reply.put("id", id);
        reply.set(method.field(), result);
        return write(reply);
    }

    public String error(long id, ClientError error, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("code", error.code());
        body.put("message", message == null || message.isBlank() ? error.message() : message);
        if (error.temporary()) {
            body.put("temporary", true);
        }
        ObjectNode reply = json.createObjectNode();
        reply.put("id", id);
        reply.set("error", body);
        return write(reply);
    }

    /** A publication as the protocol carries it: data raw, offset, the publisher's info. */
    public ObjectNode publication(Publication publication) {
        ObjectNode pub = json.createObjectNode();
        pub.putRawValue("data", new RawValue(publication.data()));
        if (publication.info() != null) {
            pub.putRawValue("info", new RawValue(publication.info()));
        }
        pub.put("offset", publication.offset());
        return pub;
    }

    public ArrayNode publications(List<Publication> publications) {
        ArrayNode list = json.createArrayNode();
        publications.forEach(p -> list.add(publication(p)));
        return list;
    }

    public String publicationPush(String channel, Publication publication) {
        return push(channel, "pub", publication(publication));
    }

    public String joinPush(String channel, String clientInfo) {
        ObjectNode join = json.createObjectNode();
        join.putRawValue("info", new RawValue(clientInfo));
        return push(channel, "join", join);
    }

    public String leavePush(String channel, String clientInfo) {
        ObjectNode leave = json.createObjectNode();
        leave.putRawValue("info", new RawValue(clientInfo));
        return push(channel, "leave", leave);
    }

    /** Server-side unsubscribe; codes 2500 and up make the SDK subscribe again (and recover). */
    public String unsubscribePush(String channel, int code, String reason) {
        ObjectNode body = json.createObjectNode();
        body.put("code", code);
        body.put("reason", reason);
        return push(channel, "unsubscribe", body);
    }

    /** The client info of a connection: {@code {"user":…,"client":…,"conn_info":…}}. */
    public String clientInfo(String user, String client, String connInfo) {
        ObjectNode info = json.createObjectNode();
        info.put("user", user);
        info.put("client", client);
        if (connInfo != null) {
            info.putRawValue("conn_info", new RawValue(connInfo));
        }
        return write(info);
    }

    /** The user of a client info JSON ("" when it names none or cannot be read). */
    public static String userOf(String clientInfo) {
        try {
            return INFO_READER.readTree(clientInfo).path("user").asText("");
        } catch (Exception e) {
            return "";
        }
    }

    private static final ObjectMapper INFO_READER = new ObjectMapper();

    private String push(String channel, String kind, ObjectNode body) {
        ObjectNode push = json.createObjectNode();
        push.put("channel", channel);
        push.set(kind, body);
        ObjectNode frame = json.createObjectNode();
        frame.set("push", push);
        return write(frame);
    }

    public String write(Object node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
