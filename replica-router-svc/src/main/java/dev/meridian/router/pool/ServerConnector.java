package dev.meridian.router.pool;

import dev.meridian.router.auth.BackendCredentials;
import dev.meridian.router.auth.Md5Password;
import dev.meridian.router.auth.ScramClientExchange;
import dev.meridian.router.probe.BackendNode;
import dev.meridian.router.wire.BackendMessage;
import dev.meridian.router.wire.Buffers;
import dev.meridian.router.wire.FrameReader;
import dev.meridian.router.wire.FrontendMessages;
import dev.meridian.router.wire.HeldBytes;
import dev.meridian.router.wire.MessageDecoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens and authenticates server connections: TLS as configured ({@link ServerTls}), startup, then
 * SCRAM-SHA-256, MD5 or cleartext as the backend asks, up to its first ReadyForQuery. A backend's
 * SCRAM signature is verified too.
 */
public final class ServerConnector {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Vertx vertx;
    private final NetClient client;
    private final int maxMessageBytes;
    private final Duration timeout;
    private final ServerTls tls;
    private final int maxPreparedStatements;
    private final HeldBytes heldBytes;

    /**
     * {@code maxPreparedStatements}: how many of the router's statements each connection keeps
     * prepared; {@code heldBytes}: the router's limit on incomplete messages, which backends' count against too.
     */
    public ServerConnector(Vertx vertx, int maxMessageBytes, Duration timeout, ServerTls tls, int maxPreparedStatements,
                           HeldBytes heldBytes) {
        this.vertx = vertx;
        this.heldBytes = heldBytes;
        this.maxPreparedStatements = maxPreparedStatements;
        this.maxMessageBytes = maxMessageBytes;
        this.timeout = timeout;
        this.tls = tls;
        NetClientOptions options = new NetClientOptions().setTcpNoDelay(true)
                .setConnectTimeout((int) timeout.toMillis()).setTcpKeepAlive(true);
        // The socket starts in clear and is upgraded after SSLRequest, as PostgreSQL asks.
        this.client = vertx.createNetClient(tls.requested() ? tls.configure(options) : options);
    }

    /** Must be called on the event loop that will use the connection. */
    public Future<ServerConnection> connect(BackendNode node, String database, String user, BackendCredentials credentials) {
        Promise<ServerConnection> result = Promise.promise();
        long timer = vertx.setTimer(timeout.toMillis(), id -> result.tryFail(
                new BackendError("08006", "connecting to " + node.name() + " timed out after " + timeout.toMillis() + " ms")));
        client.connect(node.address().port(), node.address().host()).onComplete(connected -> {
            if (connected.failed()) {
                vertx.cancelTimer(timer);
                result.tryFail(new BackendError("08006", "cannot connect to " + node.name() + ": " + connected.cause().getMessage()));
                return;
            }
            NetSocket socket = connected.result();
            // Without a handler of its own, a reset while logging in (a backend going down) is
            // logged by Vert.x as an unhandled ERROR; it is this attempt's failure, told to its caller.
            socket.exceptionHandler(e -> result.tryFail(new BackendError("08006", node.name() + " failed during startup: " + e.getMessage())));
            negotiateTls(socket, node).onComplete(negotiated -> {
                if (negotiated.succeeded()) {
                    new Handshake(socket, node, user, credentials, result).start(database);
                } else {
                    result.tryFail(negotiated.cause());
                }
            });
            result.future().onComplete(done -> {
                vertx.cancelTimer(timer);
                if (done.failed()) {
                    socket.close();
                }
            });
        });
        return result.future();
    }

    /**
     * SSLRequest and the server's one-byte answer, then the TLS handshake on 'S'. A server that
     * sends more than that byte before the handshake is refused: anything it sent would be read as
     * if it came over TLS (CVE-2021-23222).
     */
    private Future<Void> negotiateTls(NetSocket socket, BackendNode node) {
        if (!tls.requested()) {
            return Future.succeededFuture();
        }
        Promise<Void> negotiated = Promise.promise();
        socket.closeHandler(v -> negotiated.tryFail(new BackendError("08006", node.name() + " closed the connection after SSLRequest")));
        socket.handler(answer -> {
            socket.handler(null);
            if (answer.length() != 1) {
                negotiated.tryFail(new BackendError("08P01", node.name() + " sent " + answer.length() + " bytes in answer to SSLRequest"));
            } else if (answer.getByte(0) == 'S') {
                socket.upgradeToSsl(node.address().host()).onComplete(upgraded -> {
                    if (upgraded.succeeded()) {
                        negotiated.tryComplete();
                    } else {
                        negotiated.tryFail(new BackendError("08006", "TLS with " + node.name() + " failed: " + upgraded.cause().getMessage()));
                    }
                });
            } else if (answer.getByte(0) == 'N' && !tls.required()) {
                negotiated.tryComplete();
            } else if (answer.getByte(0) == 'N') {
                negotiated.tryFail(new BackendError("08006", node.name() + " does not accept TLS, and server TLS is " + tls.modeName()));
            } else {
                negotiated.tryFail(new BackendError("08P01", node.name() + " answered SSLRequest with neither S nor N"));
            }
        });
        socket.write(Buffers.of(FrontendMessages.sslRequest()));
        return negotiated.future();
    }

    /**
     * CancelRequest for a backend's process, over TLS when server connections use it (after
     * SSLRequest, as libpq 17 sends it): the cancel key is as secret as a password while its
     * query runs. Fire and forget, as PostgreSQL answers a cancel with nothing.
     */
    public Future<Void> cancel(BackendNode node, int processId, int secretKey) {
        return client.connect(node.address().port(), node.address().host()).compose(socket -> {
            socket.exceptionHandler(e -> socket.close());
            return negotiateTls(socket, node).compose(v -> socket.end(Buffers.of(FrontendMessages.cancelRequest(processId, secretKey))))
                    .onFailure(e -> socket.close());
        });
    }

    /** The conversation up to the first ReadyForQuery. */
    private final class Handshake {
        private final NetSocket socket;
        private final BackendNode node;
        private final String user;
        private final BackendCredentials credentials;
        private final Promise<ServerConnection> result;
        private final FrameReader reader = new FrameReader(new MessageDecoder(maxMessageBytes), heldBytes);
        private final Map<String, String> reported = new HashMap<>();
        private ScramClientExchange scram;
        private int processId;
        private int secretKey;

        Handshake(NetSocket socket, BackendNode node, String user, BackendCredentials credentials, Promise<ServerConnection> result) {
            this.socket = socket;
            this.node = node;
            this.user = user;
            this.credentials = credentials;
            this.result = result;
        }

        void start(String database) {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("user", user);
            parameters.put("database", database);
            parameters.put("application_name", "meridian-router");
            socket.handler(this::onData);
            socket.closeHandler(v -> result.tryFail(new BackendError("08006", node.name() + " closed the connection during startup")));
            socket.write(Buffers.of(FrontendMessages.startup(parameters)));
        }

        private void onData(Buffer data) {
            if (result.future().isComplete()) {
                return;
            }
            try {
                reader.append(data);
                BackendMessage message;
                while (!result.future().isComplete() && (message = reader.nextBackend()) != null) {
                    handle(message);
                }
            } catch (RuntimeException e) {
                result.tryFail(new BackendError("08P01", node.name() + " startup failed: " + e.getMessage()));
            }
        }

        private void handle(BackendMessage message) {
            switch (message.type()) {
                case 'R' -> authenticate(message);
                case 'S' -> {
                    ByteBuffer body = message.body().duplicate();
                    reported.put(MessageDecoder.cString(body, "ParameterStatus"), MessageDecoder.cString(body, "ParameterStatus"));
                }
                case 'K' -> {
                    processId = message.body().getInt(0);
                    secretKey = message.body().getInt(4);
                }
                case 'E' -> result.tryFail(new BackendError(message.field('C'),
                        node.name() + ": " + message.field('M')));
                case 'Z' -> {
                    // The connection installs its own socket handlers in place of ours.
                    ServerConnection connection = new ServerConnection(socket, node, reader, reported, processId, secretKey,
                            maxPreparedStatements);
                    if (!result.tryComplete(connection)) {
                        connection.close();
                    }
                }
                default -> {
                    // NoticeResponse and NegotiateProtocolVersion need no answer.
                }
            }
        }

        private void authenticate(BackendMessage message) {
            int code = message.authenticationCode();
            switch (code) {
                case 0 -> {
                }
                case 3 -> send(passwordMessage(requirePassword()));
                case 5 -> {
                    byte[] salt = new byte[4];
                    message.body().duplicate().position(4).get(salt);
                    send(passwordMessage(Md5Password.respond(user, requirePassword(), salt)));
                }
                case 10 -> {
                    String mechanisms = text(message);
                    if (!mechanisms.contains("SCRAM-SHA-256")) {
                        throw new IllegalStateException("backend offers no SCRAM-SHA-256");
                    }
                    byte[] nonce = new byte[18];
                    RANDOM.nextBytes(nonce);
                    String clientNonce = Base64.getEncoder().encodeToString(nonce);
                    scram = credentials.password() == null && credentials.keys() != null
                            ? new ScramClientExchange(credentials.keys(), clientNonce)
                            : new ScramClientExchange(requirePassword(), clientNonce);
                    send(FrontendMessages.saslInitialResponse("SCRAM-SHA-256", scram.clientFirst()));
                }
                case 11 -> send(FrontendMessages.saslResponse(scram.clientFinal(text(message))));
                case 12 -> scram.serverFinal(text(message));
                default -> throw new IllegalStateException("unsupported authentication request " + code);
            }
        }

        private String requirePassword() {
            if (credentials.password() == null) {
                throw new IllegalStateException("the backend asks for a password and none is configured for " + user);
            }
            return credentials.password();
        }

        private void send(ByteBuffer message) {
            socket.write(Buffers.of(message));
        }
    }

    private static ByteBuffer passwordMessage(String password) {
        byte[] text = password.getBytes(StandardCharsets.UTF_8);
        ByteBuffer message = ByteBuffer.allocate(6 + text.length);
        message.put((byte) 'p').putInt(5 + text.length).put(text).put((byte) 0).flip();
        return message;
    }

    private static String text(BackendMessage message) {
        ByteBuffer body = message.body().duplicate();
        body.position(4);
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

}
