package dev.meridian.ws.protocol;

import java.util.Map;

/** The commands of the client protocol v2, each the name of the field that carries its parameters. */
public enum Method {
    CONNECT("connect"),
    SUBSCRIBE("subscribe"),
    UNSUBSCRIBE("unsubscribe"),
    PUBLISH("publish"),
    PRESENCE("presence"),
    PRESENCE_STATS("presence_stats"),
    HISTORY("history"),
    PING("ping"),
    SEND("send"),
    RPC("rpc"),
    REFRESH("refresh"),
    SUB_REFRESH("sub_refresh");

    private static final Map<String, Method> BY_FIELD = Map.ofEntries(
            java.util.Arrays.stream(values()).map(m -> Map.entry(m.field, m)).toArray(Map.Entry[]::new));

    private final String field;

    Method(String field) {
        this.field = field;
    }

    public String field() {
        return field;
    }

    public static Method byField(String field) {
        return BY_FIELD.get(field);
    }
}
