package dev.meridian.ws.auth;

/** A token that cannot be used: {@link #expired()} tells the client to fetch a new one, otherwise it is invalid. */
public final class TokenException extends Exception {

    private final boolean expired;

    public TokenException(String message, boolean expired) {
        super(message, null, false, false);
        this.expired = expired;
    }

    public boolean expired() {
        return expired;
    }
}
