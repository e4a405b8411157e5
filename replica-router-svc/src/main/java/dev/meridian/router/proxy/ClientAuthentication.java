package dev.meridian.router.proxy;

import dev.meridian.router.auth.AuthenticationFailedException;
import dev.meridian.router.auth.Credential;
import dev.meridian.router.auth.Md5Password;
import dev.meridian.router.auth.ScramServerExchange;
import dev.meridian.router.wire.BackendMessages;
import dev.meridian.router.wire.FrontendMessage;
import dev.meridian.router.wire.MessageDecoder;
import dev.meridian.router.wire.ProtocolException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The router's side of a client's password exchange: SCRAM-SHA-256, or MD5 for roles whose only
 * secret is an MD5 hash (or when MD5 is configured). Each {@link #answer} consumes one
 * PasswordMessage/SASL message and returns what to send back; {@link #done()} once the client
 * proved its password.
 */
final class ClientAuthentication {

    private static final SecureRandom RANDOM = new SecureRandom();

    private sealed interface Step permits AwaitingScramFirst, AwaitingScramFinal, AwaitingMd5, Done {
    }

    private record AwaitingScramFirst(ScramServerExchange exchange) implements Step {
    }

    private record AwaitingScramFinal(ScramServerExchange exchange) implements Step {
    }

    private record AwaitingMd5(String secret, byte[] salt) implements Step {
    }

    private record Done() implements Step {
    }

    private final String user;
    private final boolean known;
    private Step step;
    private dev.meridian.router.auth.ScramKeys provenKeys;

    private ClientAuthentication(String user, boolean known, Step step) {
        this.user = user;
        this.known = known;
        this.step = step;
    }

    /** Starts the exchange; {@link #request()} is the first message to send. */
    static ClientAuthentication begin(String user, Optional<Credential> credential, boolean preferMd5) {
        if (credential.isPresent() && (credential.get().isMd5() || preferMd5 && credential.get().isClear())) {
            byte[] salt = new byte[4];
            RANDOM.nextBytes(salt);
            return new ClientAuthentication(user, true, new AwaitingMd5(credential.get().md5(), salt));
        }
        var secret = credential.map(Credential::scram).orElseGet(Credential::nobody);
        byte[] nonce = new byte[18];
        RANDOM.nextBytes(nonce);
        return new ClientAuthentication(user, credential.isPresent(),
                new AwaitingScramFirst(new ScramServerExchange(user, secret, Base64.getEncoder().encodeToString(nonce))));
    }

    ByteBuffer request() {
        return step instanceof AwaitingMd5 md5 ? BackendMessages.authenticationMd5(md5.salt) : BackendMessages.authenticationSasl();
    }

    /** Answers one client message; throws AuthenticationFailedException on a wrong password or unknown role. */
    ByteBuffer answer(FrontendMessage message) {
        if (message.type() != 'p') {
            throw new ProtocolException("expected a password message during authentication, got message type '" + (char) message.type() + "'");
        }
        ByteBuffer body = message.body().duplicate();
        if (step instanceof AwaitingScramFirst first) {
            String mechanism = MessageDecoder.cString(body, "SASLInitialResponse");
            if (!mechanism.equals("SCRAM-SHA-256")) {
                throw new AuthenticationFailedException(user, "client selected an invalid SASL authentication mechanism");
            }
            if (body.remaining() < 4 || body.getInt() != body.remaining()) {
                throw new ProtocolException("malformed SASLInitialResponse");
            }
            String serverFirst = first.exchange.clientFirst(text(body));
            step = new AwaitingScramFinal(first.exchange);
            return BackendMessages.authenticationSaslContinue(serverFirst.getBytes(StandardCharsets.UTF_8));
        }
        if (step instanceof AwaitingScramFinal last) {
            String serverFinal = last.exchange.clientFinal(text(body));
            if (!known) {
                throw new AuthenticationFailedException(user, "no such role");
            }
            provenKeys = last.exchange.provenKeys();
            step = new Done();
            return BackendMessages.authenticationSaslFinal(serverFinal.getBytes(StandardCharsets.UTF_8));
        }
        if (step instanceof AwaitingMd5 md5) {
            String response = MessageDecoder.cString(body, "PasswordMessage");
            if (!Md5Password.verify(md5.secret, md5.salt, response)) {
                throw new AuthenticationFailedException(user, "wrong MD5 response");
            }
            step = new Done();
            return null;
        }
        throw new ProtocolException("unexpected password message after authentication");
    }

    /** The SCRAM keys the client proved, when it authenticated with SCRAM. */
    Optional<dev.meridian.router.auth.ScramKeys> provenKeys() {
        return Optional.ofNullable(provenKeys);
    }

    boolean done() {
        return step instanceof Done;
    }

    private static String text(ByteBuffer body) {
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
