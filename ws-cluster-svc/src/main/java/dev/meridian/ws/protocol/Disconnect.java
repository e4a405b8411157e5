package dev.meridian.ws.protocol;

/**
 * A reason to close a connection, as the Centrifugo client protocol v2 sends it: the WebSocket close
 * code and reason. Codes 3000–3499 tell the SDK to reconnect; 3500–3999 tell it not to.
 */
public enum Disconnect {
    SHUTDOWN(3001, "shutdown"),
    SERVER_ERROR(3004, "internal server error"),
    EXPIRED(3005, "connection expired"),
    SLOW(3008, "slow"),
    WRITE_ERROR(3009, "write error"),
    INSUFFICIENT_STATE(3010, "insufficient state"),
    FORCE_RECONNECT(3011, "force reconnect"),
    NO_PONG(3012, "no pong"),
    INVALID_TOKEN(3500, "invalid token"),
    BAD_REQUEST(3501, "bad request"),
    STALE(3502, "stale"),
    CONNECTION_LIMIT(3504, "connection limit"),
    MESSAGE_TOO_LARGE(3501, "message too large");

    private final int code;
    private final String reason;

    Disconnect(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    /** Whether the SDK reconnects on its own after this. */
    public boolean reconnect() {
        return code < 3500;
    }
}
