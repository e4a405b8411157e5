package dev.meridian.router.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client side of SCRAM-SHA-256, which the router speaks to its backends with the configured
 * credentials. Verifies the server's signature, so a backend that does not know the password is
 * not trusted either.
 */
public final class ScramClientExchange {

    private static final String GS2_HEADER = "n,,";

    private final String password;
    private final ScramKeys keys;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] expectedServerSignature;

    /** @param clientNonce printable random characters without commas */
    public ScramClientExchange(String password, String clientNonce) {
        this.password = password;
        this.keys = null;
        this.clientNonce = clientNonce;
    }

    /** With keys a client proved to the router (SCRAM pass-through): the backend must store the same verifier. */
    public ScramClientExchange(ScramKeys keys, String clientNonce) {
        this.password = null;
        this.keys = keys;
        this.clientNonce = clientNonce;
    }

    /** client-first-message. PostgreSQL ignores the name in it (the user is in the startup packet). */
    public String clientFirst() {
        clientFirstBare = "n=*,r=" + clientNonce;
        return GS2_HEADER + clientFirstBare;
    }

    /** Answers server-first-message with client-final-message. */
    public String clientFinal(String serverFirst) {
        Map<String, String> attributes = attributes(serverFirst);
        String nonce = attributes.get("r");
        if (nonce == null || !nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new IllegalStateException("server nonce does not extend ours");
        }
        byte[] salt = Base64.getDecoder().decode(attributes.get("s"));
        int iterations = Integer.parseInt(attributes.get("i"));
        byte[] clientKey;
        byte[] serverKey;
        if (keys != null) {
            if (keys.iterations() != iterations || !java.util.Arrays.equals(keys.salt(), salt)) {
                throw new IllegalStateException("the backend's SCRAM verifier differs from the one the client was checked against");
            }
            clientKey = keys.clientKey();
            serverKey = keys.serverKey();
        } else {
            byte[] salted = ScramSecret.saltedPassword(password, salt, iterations);
            clientKey = ScramSecret.hmac(salted, "Client Key");
            serverKey = ScramSecret.hmac(salted, "Server Key");
        }
        byte[] storedKey = ScramSecret.sha256(clientKey);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.UTF_8)) + ",r=" + nonce;
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] signature = ScramSecret.hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        expectedServerSignature = ScramSecret.hmac(serverKey, authMessage);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** Checks server-final-message; throws if the server did not prove it knows the password. */
    public void serverFinal(String serverFinal) {
        Map<String, String> attributes = attributes(serverFinal);
        if (attributes.containsKey("e")) {
            throw new IllegalStateException("server refused: " + attributes.get("e"));
        }
        byte[] signature = Base64.getDecoder().decode(attributes.getOrDefault("v", ""));
        if (expectedServerSignature == null || !MessageDigest.isEqual(expectedServerSignature, signature)) {
            throw new IllegalStateException("server signature does not match");
        }
    }

    private static Map<String, String> attributes(String text) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            if (part.length() >= 2 && part.charAt(1) == '=') {
                attributes.put(part.substring(0, 1), part.substring(2));
            }
        }
        return attributes;
    }
}
