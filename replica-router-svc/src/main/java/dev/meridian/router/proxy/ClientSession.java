package dev.meridian.router.proxy;

import dev.meridian.router.auth.AuthenticationFailedException;
import dev.meridian.router.auth.BackendCredentials;
import dev.meridian.router.pool.BackendError;
import dev.meridian.router.pool.ServerConnection;
import dev.meridian.router.wire.BackendMessages;
import dev.meridian.router.wire.Buffers;
import dev.meridian.router.wire.ChannelWriter;
import dev.meridian.router.wire.DirectReads;
import dev.meridian.router.wire.FrameReader;
import dev.meridian.router.wire.FrontendMessage;
import dev.meridian.router.wire.LingeringClose;
import dev.meridian.router.wire.MessageDecoder;
import dev.meridian.router.wire.ProtocolException;
import dev.meridian.router.wire.StartupPacket;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One client connection: startup and authentication, then the proxying loop. Statements are
 * classified and sent to a backend picked per transaction (transaction mode) or kept on one
 * primary connection (session mode, or once the client has left session state behind). Replies
 * stream back as they arrive; the router only intervenes where it changed what it sent (see
 * {@link ResponseSequencer}). Everything runs on the client's event loop.
 */
final class ClientSession implements ServerConnection.Owner {

    /** admin_shutdown, as PostgreSQL's sessions get it when the server stops. */
    static final String SHUTTING_DOWN = "57P01";
    /** How long a client refused in the middle of a message may go on sending before its socket closes. */
    static final long LINGER_MILLIS = 2_000;
    static final String SHUTTING_DOWN_MESSAGE = "the router is shutting down";
    /** cannot_connect_now, as PostgreSQL answers a login while it shuts down. */
    static final String SHUTTING_DOWN_NEW = "57P03";

    private sealed interface Phase permits AwaitingStartup, Authenticating, LoggingIn, Ready, Closed {
    }

    private record AwaitingStartup() implements Phase {
    }

    private record Authenticating(ClientAuthentication exchange) implements Phase {
    }

    private record LoggingIn() implements Phase {
    }

    private record Ready() implements Phase {
    }

    private record Closed() implements Phase {
    }

    private final RouterRuntime runtime;
    private final LoopPools pools;
    private final NetSocket socket;
    private final ChannelWriter writer;
    private final Context context;
    private final MessageDecoder decoder;
    private final FrameReader reader;
    private final StatementRelay relay;
    /** The sessions of this event loop, for the drain at shutdown. */
    private final Set<ClientSession> loopSessions;
    private Phase phase = new AwaitingStartup();
    private boolean counted;
    private int[] key;
    private long loginTimer = -1;
    private boolean secured;
    private boolean refusedMidMessage;

    ClientSession(RouterRuntime runtime, LoopPools pools, NetSocket socket, Set<ClientSession> loopSessions) {
        this.runtime = runtime;
        this.loopSessions = loopSessions;
        this.pools = pools;
        this.socket = socket;
        this.writer = new ChannelWriter(socket);
        this.context = Vertx.currentContext();
        this.decoder = new MessageDecoder(runtime.config().listen().maxMessageBytes());
        this.reader = new FrameReader(decoder, runtime.heldBytes());
        this.relay = new StatementRelay(runtime, pools, this);
    }

    void start() {
        loopSessions.add(this);
        DirectReads.handle(socket, this::onClientData);
        socket.closeHandler(v -> close());
        socket.exceptionHandler(e -> socket.close());
        loginTimer = runtime.vertx().setTimer(runtime.config().listen().loginTimeout().toMillis(), id -> {
            if (!(phase instanceof Ready) && !(phase instanceof Closed)) {
                fatal("08P01", "canceling authentication due to timeout");
            }
        });
    }

    private void onClientData(Buffer data) {
        if (phase instanceof Closed) {
            return;
        }
        try {
            reader.append(data);
            drain();
        } finally {
            if (!reader.keepUnread()) {
                // The reader dropped the part it could not hold: the rest of that message is still on its way.
                refusedMidMessage = true;
                fatal("53200", "out of memory: the router holds as many bytes of incomplete messages as it may ("
                        + runtime.heldBytes().limit() + ", meridian.router.listen.max-held-bytes)");
            }
        }
    }

    /** Handles every complete client message until one needs to wait for a backend. */
    void drain() {
        try {
            while (!(phase instanceof Closed) && !relay.blocked()) {
                if (phase instanceof AwaitingStartup) {
                    if (!readStartup()) {
                        break;
                    }
                    continue;
                }
                if (phase instanceof LoggingIn) {
                    break;
                }
                FrontendMessage message = reader.nextFrontend();
                if (message == null) {
                    break;
                }
                if (phase instanceof Authenticating authenticating) {
                    authenticate(authenticating.exchange(), message);
                } else {
                    relay.fromClient(message, reader.buffer().getBuffer(reader.frameStart(), reader.frameStart() + reader.frameLength()));
                }
            }
        } catch (AuthenticationFailedException e) {
            runtime.metrics().authFailure();
            Log.debugf("auth failed: %s", e.getMessage());
            fatal(AuthenticationFailedException.SQLSTATE, "password authentication failed for user \"" + e.user() + "\"");
        } catch (ProtocolException e) {
            runtime.metrics().protocolError();
            fatal(e.sqlState(), e.getMessage());
        } catch (RuntimeException e) {
            internalError(e);
        }
        relay.flush();
        endIfDraining();
    }

    /**
     * A fault of the router's own while serving this client: rather than leave the client waiting
     * for a reply that will not come and its server connection lent for good, the client is told
     * (XX000) and let go, and its server connection closed, not pooled, since what state it is in is
     * not known. Every other client goes on.
     */
    private void internalError(RuntimeException e) {
        Log.errorf(e, "internal error serving a client; that client is disconnected (XX000)");
        relay.abandonServer();
        fatal("XX000", "internal error in replica-router-svc (its log has the details)");
    }

    private boolean readStartup() {
        ByteBuffer unread = reader.unread();
        Optional<StartupPacket> packet = decoder.startup(unread);
        reader.consumedUnread();
        if (packet.isEmpty()) {
            return false;
        }
        StartupPacket startup = packet.get();
        if (startup instanceof StartupPacket.SslRequest && tlsOffered() && !socket.isSsl()) {
            // 'S' goes out in clear, then the handshake; the startup packet follows inside TLS.
            socket.write(Buffers.of(BackendMessages.negotiationAnswer(true)));
            secured = true;
            socket.upgradeToSsl().onFailure(e -> {
                Log.debugf("TLS handshake failed: %s", e.getMessage());
                close();
            });
        } else if (startup instanceof StartupPacket.SslRequest || startup instanceof StartupPacket.GssEncRequest) {
            socket.write(Buffers.of(BackendMessages.negotiationAnswer(false)));
        } else if (startup instanceof StartupPacket.CancelRequest cancel) {
            ClientSession target = runtime.cancels().find(cancel.processId(), cancel.secretKey());
            if (target != null) {
                target.context.runOnContext(v -> target.relay.cancelRunningQuery());
            }
            close();
        } else if (startup instanceof StartupPacket.Startup login) {
            if (runtime.config().listen().tlsRequired() && !secured) {
                fatal("28000", "connection without TLS refused: this router requires TLS (sslmode=require)");
                return true;
            }
            beginLogin(login);
        }
        return true;
    }

    private void beginLogin(StartupPacket.Startup startup) {
        if (runtime.draining()) {
            fatal(SHUTTING_DOWN_NEW, SHUTTING_DOWN_MESSAGE);
            return;
        }
        counted = true;
        if (runtime.clients().incrementAndGet() > runtime.config().listen().maxClients()) {
            fatal("53300", "sorry, too many clients already");
            return;
        }
        SessionSettings settings;
        try {
            settings = SessionSettings.fromStartup(startup.parameters(), runtime.ignoredStartupParameters());
        } catch (SessionSettings.UnsupportedSetting e) {
            fatal("08P01", e.getMessage());
            return;
        }
        List<String> protocolOptions = startup.parameters().keySet().stream()
                .filter(name -> name.startsWith(SessionSettings.PROTOCOL_OPTION_PREFIX)).sorted().toList();
        if (startup.protocol() != StartupPacket.PROTOCOL_3_0 || !protocolOptions.isEmpty()) {
            // A newer minor version (libpq 18 may ask for 3.2) or protocol options: say what the router speaks.
            socket.write(Buffers.of(BackendMessages.negotiateProtocolVersion(protocolOptions)));
        }
        String user = startup.user();
        phase = new LoggingIn();
        runtime.credentials().lookup(user).onComplete(found -> onLoop(() -> {
            if (phase instanceof Closed) {
                return;
            }
            if (found.failed()) {
                fatal("08P01", "authentication lookup failed: " + found.cause().getMessage());
                return;
            }
            var credential = found.result();
            relay.identify(user, startup.database(), settings, BackendCredentials.password(
                    credential.filter(c -> c.isClear()).map(c -> c.secret()).orElse(runtime.config().pool().backendPassword().orElse(null))));
            ClientAuthentication exchange = ClientAuthentication.begin(user, credential,
                    runtime.config().auth().type().equalsIgnoreCase("md5"));
            phase = new Authenticating(exchange);
            socket.write(Buffers.of(exchange.request()));
            drain();
        }));
    }

    private void authenticate(ClientAuthentication exchange, FrontendMessage message) {
        ByteBuffer reply = exchange.answer(message);
        if (reply != null) {
            socket.write(Buffers.of(reply));
        }
        if (exchange.done()) {
            exchange.provenKeys().ifPresent(relay::provenKeys);
            socket.write(Buffers.of(BackendMessages.authenticationOk()));
            phase = new LoggingIn();
            relay.checkBackendLogin().onComplete(checked -> onLoop(() -> finishLogin(checked)));
        }
    }

    private void finishLogin(io.vertx.core.AsyncResult<Map<String, String>> checked) {
        if (phase instanceof Closed) {
            return;
        }
        if (checked.failed()) {
            Throwable cause = checked.cause();
            fatal(cause instanceof BackendError e && e.sqlState() != null ? e.sqlState() : "08006", cause.getMessage());
            return;
        }
        if (runtime.draining()) {
            fatal(SHUTTING_DOWN_NEW, SHUTTING_DOWN_MESSAGE);
            return;
        }
        runtime.vertx().cancelTimer(loginTimer);
        key = runtime.cancels().register(this);
        relay.settings().loggedIn(checked.result());
        Buffer out = Buffer.buffer();
        checked.result().forEach((name, value) -> {
            String own = relay.settings().explicit(SessionSettings.canonical(name) == null ? name : SessionSettings.canonical(name));
            out.appendBuffer(Buffers.of(BackendMessages.parameterStatus(name, own != null ? own : value)));
        });
        out.appendBuffer(Buffers.of(BackendMessages.backendKeyData(key[0], key[1])));
        out.appendBuffer(Buffers.of(BackendMessages.readyForQuery('I')));
        socket.write(out);
        phase = new Ready();
        relay.ready(key[0]);
        drain();
    }

    private boolean tlsOffered() {
        return runtime.config().listen().tlsCertificate().isPresent();
    }

    void onLoop(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    NetSocket socket() {
        return socket;
    }

    /** Proxied bytes to the client, as they are (no copy: {@code data} must not change after). */
    void write(Buffer data) {
        writer.write(data);
    }

    boolean writeQueueFull() {
        return writer.full();
    }

    @Override
    public void onServerData(ServerConnection connection, Buffer data) {
        try {
            relay.fromServer(connection, data);
        } catch (RuntimeException e) {
            internalError(e);
            return;
        }
        endIfDraining();
    }

    @Override
    public void onServerClosed(ServerConnection connection) {
        try {
            relay.serverClosed(connection);
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    /**
     * While the router drains, a client is let go between transactions, never inside one: told
     * why, as PostgreSQL's own shutdown tells its sessions, and closed. Its next statement, which
     * the router has not read, was not run.
     */
    void endIfDraining() {
        if (runtime.draining() && phase instanceof Ready && relay.betweenTransactions() && !reader.hasUnread()) {
            fatal(SHUTTING_DOWN, "terminating connection because " + SHUTTING_DOWN_MESSAGE);
        }
    }

    /** At the end of the drain: whoever is still in a transaction loses it. */
    void endNow() {
        fatal(SHUTTING_DOWN, "terminating connection because " + SHUTTING_DOWN_MESSAGE
                + (phase instanceof Ready && !relay.betweenTransactions() ? " (its transaction outlasted the shutdown timeout)" : ""));
    }

    /** FATAL ErrorResponse, then the connection closes. */
    void fatal(String sqlState, String message) {
        if (phase instanceof Closed) {
            return;
        }
        relay.flush();
        socket.write(Buffers.of(BackendMessages.fatal(sqlState, message)));
        close();
    }

    void close() {
        if (phase instanceof Closed) {
            return;
        }
        // Still sending (a message it was refused for, most likely): let it read why before the socket goes.
        boolean midMessage = refusedMidMessage || reader.buffered() > 0;
        phase = new Closed();
        loopSessions.remove(this);
        runtime.vertx().cancelTimer(loginTimer);
        if (counted) {
            runtime.clients().decrementAndGet();
        }
        if (key != null) {
            runtime.cancels().remove(key[0], key[1]);
        }
        relay.clientGone();
        reader.release();
        if (midMessage) {
            LingeringClose.close(socket, runtime.vertx(), LINGER_MILLIS);
        } else {
            socket.close();
        }
    }

    boolean closed() {
        return phase instanceof Closed;
    }
}
