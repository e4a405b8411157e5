package dev.meridian.ws.auth;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenVerifierTest {

    private static final String SECRET = "unit-test-secret-0123456789-abcdefgh";
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private final KeyPair rsa = rsa();
    private final TokenVerifier verifier = new TokenVerifier(Optional.of(SECRET), Optional.of(rsa.getPublic()), Optional.empty(),
            Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(String algorithm, Key key, long expEpochSeconds, Map<String, Object> extra) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("alice");
        if (expEpochSeconds > 0) {
            claims.setExpirationTime(NumericDate.fromSeconds(expEpochSeconds));
        }
        extra.forEach(claims::setClaim);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setKey(key);
        jws.setDoKeyValidation(false);
        return jws.getCompactSerialization();
    }

    private static HmacKey hmac(String secret) {
        return new HmacKey(secret.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsHs256AndReadsUserExpiryInfoAndChannel() throws Exception {
        long exp = NOW.getEpochSecond() + 60;
        TokenClaims claims = verifier.verify(sign(AlgorithmIdentifiers.HMAC_SHA256, hmac(SECRET), exp,
                Map.of("info", Map.of("name", "Alice"), "channel", "private:a")));
        assertEquals("alice", claims.user());
        assertEquals(exp, claims.expiresAt());
        assertEquals("{\"name\":\"Alice\"}", claims.info());
        assertEquals("private:a", claims.channel());
    }

    @Test
    void acceptsRs256() throws Exception {
        assertEquals("alice", verifier.verify(sign(AlgorithmIdentifiers.RSA_USING_SHA256, rsa.getPrivate(), 0, Map.of())).user());
    }

    @Test
    void anExpiredTokenIsReportedAsExpired() throws Exception {
        TokenException e = assertThrows(TokenException.class, () -> verifier.verify(
                sign(AlgorithmIdentifiers.HMAC_SHA256, hmac(SECRET), NOW.getEpochSecond() - 1, Map.of())));
        assertTrue(e.expired());
    }

    @Test
    void aWrongSignatureIsInvalid() throws Exception {
        TokenException e = assertThrows(TokenException.class, () -> verifier.verify(
                sign(AlgorithmIdentifiers.HMAC_SHA256, hmac("some-other-secret-0123456789-abcdefgh"), 0, Map.of())));
        assertFalse(e.expired());
    }

    @Test
    void unsignedTokensAndGarbageAreInvalid() {
        String none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.";
        assertThrows(TokenException.class, () -> verifier.verify(none));
        assertThrows(TokenException.class, () -> verifier.verify("not.a.token"));
    }

    @Test
    void withoutKeysEveryTokenIsRefused() throws Exception {
        TokenVerifier none = new TokenVerifier(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Clock.systemUTC());
        assertFalse(none.configured());
        assertThrows(TokenException.class, () -> none.verify(sign(AlgorithmIdentifiers.HMAC_SHA256, hmac(SECRET), 0, Map.of())));
    }

    @Test
    void aShortHmacSecretIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new TokenVerifier(Optional.of("short"), Optional.empty(), Optional.empty(),
                Optional.empty(), Clock.systemUTC()));
    }
}
