package dev.meridian.ws.it;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** Signs test JWTs the way an application backend would: HS256 with the shared secret, RS256 with a private key. */
final class Tokens {

    static final String SECRET = "meridian-test-secret-0123456789-abcdef";
    static final KeyPair RSA = rsa();

    private Tokens() {
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The RSA public key as a PEM file, for WS_JWT_RSA_PUBLIC_KEY_FILE. */
    static Path publicKeyPem() throws Exception {
        Path file = Files.createTempFile("meridian-ws-rsa-", ".pem");
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(RSA.getPublic().getEncoded());
        Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
        return file;
    }

    static String hs256(String user, long expiresInSeconds) {
        return sign(claims(user, expiresInSeconds, null), AlgorithmIdentifiers.HMAC_SHA256, new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    static String rs256(String user, long expiresInSeconds) {
        return sign(claims(user, expiresInSeconds, null), AlgorithmIdentifiers.RSA_USING_SHA256, RSA.getPrivate());
    }

    static String subscription(String user, String channel, long expiresInSeconds) {
        return sign(claims(user, expiresInSeconds, channel), AlgorithmIdentifiers.HMAC_SHA256,
                new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    static String hs256WithSecret(String user, String secret) {
        return sign(claims(user, 3600, null), AlgorithmIdentifiers.HMAC_SHA256, new HmacKey(secret.getBytes(StandardCharsets.UTF_8)));
    }

    private static JwtClaims claims(String user, long expiresInSeconds, String channel) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject(user);
        claims.setExpirationTimeMinutesInTheFuture(expiresInSeconds / 60f);
        if (channel != null) {
            claims.setClaim("channel", channel);
        }
        return claims;
    }

    private static String sign(JwtClaims claims, String algorithm, Key key) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(algorithm);
            jws.setKey(key);
            jws.setDoKeyValidation(false);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
