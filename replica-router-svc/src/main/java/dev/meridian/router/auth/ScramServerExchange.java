package dev.meridian.router.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One SCRAM-SHA-256 server-side exchange (RFC 5802, RFC 7677), as PostgreSQL runs it inside
 * SASLInitialResponse / SASLResponse: client-first → server-first, client-final → server-final.
 * Channel binding is not offered (no TLS yet), so the client must send {@code n} or {@code y}.
 * Sealed states keep out-of-order messages from being accepted.
 */
public final class ScramServerExchange {

    private sealed interface State {
    }

    private record AwaitingClientFirst() implements State {
    }

    private record AwaitingClientFinal(String clientFirstBare, String serverFirst, String nonce, String gs2Header) implements State {
    }

    private record Done() implements State {
    }

    private final String user;
    private final ScramSecret secret;
    private final String serverNonce;
    private State state = new AwaitingClientFirst();
    private byte[] clientKey;

    /**
     * @param serverNonce printable random characters; the router draws 18 random bytes, base64
     */
    public ScramServerExchange(String user, ScramSecret secret, String serverNonce) {
        this.user = user;
        this.secret = secret;
        this.serverNonce = serverNonce;
    }

    /** Answers client-first-message with server-first-message. */
    public String clientFirst(String message) {
        if (!(state instanceof AwaitingClientFirst)) {
            throw new AuthenticationFailedException(user, "client-first-message out of order");
        }
        if (!(message.startsWith("n,") || message.startsWith("y,"))) {
            throw new AuthenticationFailedException(user, "channel binding requested but not offered");
        }
        int bareStart = message.indexOf(',', 2);
        if (bareStart < 0) {
            throw new AuthenticationFailedException(user, "malformed client-first-message");
        }
        String gs2Header = message.substring(0, bareStart + 1);
        String bare = message.substring(bareStart + 1);
        Map<String, String> attributes = attributes(bare);
        String clientNonce = attributes.get("r");
        if (clientNonce == null || clientNonce.isEmpty() || attributes.containsKey("m")) {
            throw new AuthenticationFailedException(user, "malformed client-first-message");
        }
        String nonce = clientNonce + serverNonce;
        String serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(secret.salt()) + ",i=" + secret.iterations();
        state = new AwaitingClientFinal(bare, serverFirst, nonce, gs2Header);
        return serverFirst;
    }

    /** Checks client-final-message and answers server-final-message; throws if the proof is wrong. */
    public String clientFinal(String message) {
        if (!(state instanceof AwaitingClientFinal waiting)) {
            throw new AuthenticationFailedException(user, "client-final-message out of order");
        }
        state = new Done();
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw new AuthenticationFailedException(user, "client-final-message without proof");
        }
        String withoutProof = message.substring(0, proofAt);
        Map<String, String> attributes = attributes(message);
        String expectedBinding = Base64.getEncoder().encodeToString(waiting.gs2Header().getBytes(StandardCharsets.UTF_8));
        if (!expectedBinding.equals(attributes.get("c"))) {
            throw new AuthenticationFailedException(user, "channel binding mismatch");
        }
        if (!waiting.nonce().equals(attributes.get("r"))) {
            throw new AuthenticationFailedException(user, "nonce mismatch");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(attributes.get("p"));
        } catch (IllegalArgumentException e) {
            throw new AuthenticationFailedException(user, "proof is not base64");
        }
        byte[] authMessage = (waiting.clientFirstBare() + "," + waiting.serverFirst() + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = ScramSecret.hmac(secret.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            throw new AuthenticationFailedException(user, "wrong proof length");
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(ScramSecret.sha256(clientKey), secret.storedKey())) {
            throw new AuthenticationFailedException(user, "wrong password");
        }
        this.clientKey = clientKey;
        return "v=" + Base64.getEncoder().encodeToString(ScramSecret.hmac(secret.serverKey(), authMessage));
    }

    /**
     * After a successful exchange: the keys the client proved it holds. With them the router can
     * log in to a backend that stores the same verifier, without ever knowing the password.
     */
    public ScramKeys provenKeys() {
        if (clientKey == null) {
            throw new IllegalStateException("the exchange has not succeeded");
        }
        return new ScramKeys(clientKey, secret.serverKey(), secret.salt(), secret.iterations());
    }

    private Map<String, String> attributes(String text) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            if (part.length() < 2 || part.charAt(1) != '=') {
                throw new AuthenticationFailedException(user, "malformed SCRAM attribute");
            }
            attributes.put(part.substring(0, 1), part.substring(2));
        }
        return attributes;
    }
}
