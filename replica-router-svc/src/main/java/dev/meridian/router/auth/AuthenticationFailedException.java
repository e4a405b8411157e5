package dev.meridian.router.auth;

/** The client did not prove who it claims to be: SQLSTATE 28P01 and the connection closed. */
public final class AuthenticationFailedException extends RuntimeException {

    /** invalid_password */
    public static final String SQLSTATE = "28P01";

    private final String user;

    public AuthenticationFailedException(String user, String why) {
        // The client only ever sees PostgreSQL's generic text; the reason is for our log.
        super("password authentication failed for user \"" + user + "\" (" + why + ")", null, false, false);
        this.user = user;
    }

    public String user() {
        return user;
    }

    /** What the client is told: the same words for every cause, as PostgreSQL does. */
    public String clientMessage() {
        return "password authentication failed for user \"" + user + "\"";
    }
}
