package dev.meridian.ws.session;

/** Where a connection stands in the protocol. */
sealed interface ConnectionState {

    /** Upgraded; only a connect command is acceptable. */
    record AwaitingConnect() implements ConnectionState {
    }

    /**
     * Authenticated.
     *
     * @param user      "" for anonymous
     * @param info      the token's info claim (JSON) or null
     * @param expiresAt token expiry in epoch seconds, 0 for none
     */
    record Connected(String user, String info, long expiresAt) implements ConnectionState {
    }

    /** Closing or closed, with the code it was closed with. */
    record Closed(int code) implements ConnectionState {
    }
}
