package dev.meridian.ws.auth;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Verifies connection and subscription JWTs (HS256 with a shared secret, RS256 with a public key),
 * as Centrifugo's tokens are made: {@code sub} is the user, {@code exp} optional, {@code info}
 * any JSON, subscription tokens carry {@code channel}. Only the configured algorithms are accepted,
 * so a token cannot pick {@code none} or swap RS256 for HS256.
 */
public final class TokenVerifier {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final Key hmacKey;
    private final PublicKey rsaKey;
    private final Optional<String> audience;
    private final Optional<String> issuer;
    private final Clock clock;
    private final String[] algorithms;

    public TokenVerifier(Optional<String> hmacSecret, Optional<PublicKey> rsaKey, Optional<String> audience,
            Optional<String> issuer, Clock clock) {
        this.hmacKey = hmacSecret.filter(s -> !s.isBlank()).map(TokenVerifier::hmacKey).orElse(null);
        this.rsaKey = rsaKey.orElse(null);
        this.audience = audience;
        this.issuer = issuer;
        this.clock = clock;
        List<String> allowed = new ArrayList<>();
        if (hmacKey != null) {
            allowed.add(AlgorithmIdentifiers.HMAC_SHA256);
        }
        if (this.rsaKey != null) {
            allowed.add(AlgorithmIdentifiers.RSA_USING_SHA256);
        }
        this.algorithms = allowed.toArray(String[]::new);
    }

    private static Key hmacKey(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            // RFC 7518 §3.2: an HS256 key must be at least as long as the hash (256 bits).
            throw new IllegalArgumentException("WS_JWT_HMAC_SECRET must be at least 32 bytes for HS256 (RFC 7518 3.2), got " + bytes.length);
        }
        return new HmacKey(bytes);
    }

    /** Whether any key is configured; without one every token is refused. */
    public boolean configured() {
        return algorithms.length > 0;
    }

    public TokenClaims verify(String token) throws TokenException {
        if (!configured()) {
            throw new TokenException("no token keys are configured", false);
        }
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, algorithms)
                .setVerificationKeyResolver((jws, nesting) -> AlgorithmIdentifiers.HMAC_SHA256.equals(jws.getAlgorithmHeaderValue())
                        ? hmacKey : rsaKey)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .setAllowedClockSkewInSeconds(0);
        audience.ifPresentOrElse(builder::setExpectedAudience, builder::setSkipDefaultAudienceValidation);
        issuer.ifPresent(builder::setExpectedIssuer);
        JwtConsumer consumer = builder.build();
        try {
            JwtClaims claims = consumer.processToClaims(token);
            String user = claims.getSubject() == null ? "" : claims.getSubject();
            long exp = claims.getExpirationTime() == null ? 0 : claims.getExpirationTime().getValue();
            Object info = claims.getClaimValue("info");
            String infoJson = info == null ? null : JSON.writeValueAsString(info);
            String channel = claims.getClaimValueAsString("channel");
            return new TokenClaims(user, exp, infoJson, channel);
        } catch (InvalidJwtException e) {
            if (e.hasExpired()) {
                throw new TokenException("token expired", true);
            }
            throw new TokenException("invalid token: " + firstReason(e), false);
        } catch (MalformedClaimException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TokenException("invalid token: " + e.getMessage(), false);
        }
    }

    private static String firstReason(InvalidJwtException e) {
        return e.getErrorDetails().isEmpty() ? "unreadable" : e.getErrorDetails().get(0).getErrorMessage();
    }

    /** Reads an RSA public key from PEM ({@code -----BEGIN PUBLIC KEY-----}). */
    public static PublicKey rsaPublicKey(String pem) {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalArgumentException("not an RSA public key in PEM (SubjectPublicKeyInfo): " + e.getMessage(), e);
        }
    }
}
