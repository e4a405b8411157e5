package dev.meridian.router.auth;

import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What the router knows of one role's password: in clear (then it can also log in to backends
 * as that role), an MD5 secret, or a SCRAM verifier.
 */
public record Credential(String user, String secret) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ConcurrentMap<String, ScramSecret> DERIVED = new ConcurrentHashMap<>();
    private static final ScramSecret NOBODY = ScramSecret.fromPassword(Long.toHexString(RANDOM.nextLong()), salt(), 4096);

    public boolean isScram() {
        return secret.startsWith("SCRAM-SHA-256$");
    }

    public boolean isMd5() {
        return secret.startsWith("md5") && secret.length() == 35;
    }

    public boolean isClear() {
        return !isScram() && !isMd5();
    }

    /** The verifier for a SCRAM exchange; derived once from a clear password. */
    public ScramSecret scram() {
        if (isScram()) {
            return ScramSecret.parse(secret);
        }
        if (isClear()) {
            return DERIVED.computeIfAbsent(user + '\0' + secret, k -> ScramSecret.fromPassword(secret, salt(), 4096));
        }
        throw new IllegalStateException("an MD5 secret cannot serve SCRAM");
    }

    /** The MD5 secret ({@code md5…}) for an MD5 exchange. */
    public String md5() {
        if (isMd5()) {
            return secret;
        }
        if (isClear()) {
            return Md5Password.secret(user, secret);
        }
        throw new IllegalStateException("a SCRAM verifier cannot serve MD5");
    }

    /**
     * A verifier no password matches: an unknown role goes through the same SCRAM exchange as a
     * known one and fails at the same point, so the router does not reveal which roles exist.
     */
    public static ScramSecret nobody() {
        return NOBODY;
    }

    private static byte[] salt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return salt;
    }
}
