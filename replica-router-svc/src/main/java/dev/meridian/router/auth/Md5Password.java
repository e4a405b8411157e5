package dev.meridian.router.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * PostgreSQL's MD5 password scheme: the stored secret is {@code "md5" + md5(password + user)}; the
 * client answers a 4-byte salt with {@code "md5" + md5(hex(md5(password + user)) + salt)}.
 */
public final class Md5Password {

    private Md5Password() {
    }

    public static String secret(String user, String password) {
        return "md5" + md5Hex((password + user).getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the client's PasswordMessage matches the stored secret for this salt. */
    public static boolean verify(String storedSecret, byte[] salt, String clientResponse) {
        if (!storedSecret.startsWith("md5") || storedSecret.length() != 35) {
            return false;
        }
        String expected = salted(storedSecret, salt);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), clientResponse.getBytes(StandardCharsets.US_ASCII));
    }

    /** The PasswordMessage a client sends for this password and salt (the router, to an MD5 backend). */
    public static String respond(String user, String password, byte[] salt) {
        return salted(secret(user, password), salt);
    }

    private static String salted(String storedSecret, byte[] salt) {
        byte[] inner = storedSecret.substring(3).getBytes(StandardCharsets.US_ASCII);
        byte[] salted = new byte[inner.length + salt.length];
        System.arraycopy(inner, 0, salted, 0, inner.length);
        System.arraycopy(salt, 0, salted, inner.length, salt.length);
        return "md5" + md5Hex(salted);
    }

    private static String md5Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
