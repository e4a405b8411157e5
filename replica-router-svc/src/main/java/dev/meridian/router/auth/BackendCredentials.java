package dev.meridian.router.auth;

/**
 * How the router logs in to backends as a role: with its password (from the userlist or
 * configuration), or with the SCRAM keys its client proved (when only the verifier is known).
 */
public record BackendCredentials(String password, ScramKeys keys) {

    public static BackendCredentials password(String password) {
        return new BackendCredentials(password, null);
    }

    public BackendCredentials withKeys(ScramKeys proven) {
        return password != null ? this : new BackendCredentials(null, proven);
    }
}
