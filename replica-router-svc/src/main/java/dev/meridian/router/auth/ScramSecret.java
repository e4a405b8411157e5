package dev.meridian.router.auth;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A SCRAM-SHA-256 verifier, as PostgreSQL stores it: {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}.
 */
public record ScramSecret(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {

    private static final String PREFIX = "SCRAM-SHA-256$";

    /** Parses PostgreSQL's text form (from pg_authid, a userlist file or an auth query). */
    public static ScramSecret parse(String text) {
        try {
            if (!text.startsWith(PREFIX)) {
                throw new IllegalArgumentException();
            }
            String[] parts = text.substring(PREFIX.length()).split("\\$");
            String[] iterationsAndSalt = parts[0].split(":");
            String[] keys = parts[1].split(":");
            Base64.Decoder base64 = Base64.getDecoder();
            return new ScramSecret(Integer.parseInt(iterationsAndSalt[0]), base64.decode(iterationsAndSalt[1]),
                    base64.decode(keys[0]), base64.decode(keys[1]));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a SCRAM-SHA-256 secret");
        }
    }

    /** Derives the verifier from a plain password (for userlist entries given in clear). */
    public static ScramSecret fromPassword(String password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key");
        return new ScramSecret(iterations, salt, sha256(clientKey), hmac(salted, "Server Key"));
    }

    public String toText() {
        Base64.Encoder base64 = Base64.getEncoder();
        return PREFIX + iterations + ":" + base64.encodeToString(salt) + "$" + base64.encodeToString(storedKey) + ":"
                + base64.encodeToString(serverKey);
    }

    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        try {
            // SASLprep is skipped: PostgreSQL itself falls back to the raw bytes for non-normalizable input.
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        }
    }

    static byte[] hmac(byte[] key, String message) {
        return hmac(key, message.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
