package dev.meridian.ws.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.ws.auth.TokenClaims;
import dev.meridian.ws.auth.TokenException;
import dev.meridian.ws.hub.ChannelHub;
import dev.meridian.ws.hub.JoinRequest;
import dev.meridian.ws.hub.Subscriber;
import dev.meridian.ws.protocol.ClientCommand;
import dev.meridian.ws.protocol.ClientError;
import dev.meridian.ws.protocol.CommandException;
import dev.meridian.ws.protocol.Disconnect;
import dev.meridian.ws.protocol.DisconnectException;
import dev.meridian.ws.protocol.Method;
import dev.meridian.ws.protocol.Replies;
import io.quarkus.logging.Log;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One client connection speaking the Centrifugo client protocol v2 (JSON). Confined to its event
 * loop; hubs reach it only through {@link Subscriber}, whose methods hop onto that loop or go
 * through the thread-safe send queue. Any bad input ends this connection alone, with the code the
 * protocol defines for it.
 */
public final class ClientSession implements Subscriber {

    private final Gateway gateway;
    private final ServerWebSocket socket;
    private final Context context;
    private final java.util.concurrent.Executor eventLoop;
    private final String clientId = UUID.randomUUID().toString();
    private final Outbound outbound;
    private final CommandRate rate;
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final ChannelCommands channels;
    private ConnectionState state = new ConnectionState.AwaitingConnect();
    private volatile String clientInfo;
    private long lastSeenMillis;
    private long pingTimer = -1;
    private long deadlineTimer = -1;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    public ClientSession(Gateway gateway, ServerWebSocket socket, Context context) {
        this.gateway = gateway;
        this.socket = socket;
        this.context = context;
        // The netty loop behind the (possibly duplicated) context: fan-out wakes each loop once.
        this.eventLoop = ((io.vertx.core.impl.ContextInternal) context).nettyEventLoop();
        this.outbound = new Outbound(socket, context, gateway.config.limits().queueBytes(), this::tooSlow);
        this.rate = new CommandRate(gateway.config.limits().commandsPerSecond(), gateway.clock.millis());
        this.channels = new ChannelCommands(gateway, this);
        this.lastSeenMillis = gateway.clock.millis();
    }

    /** Wires the socket's handlers; the client has the connect timeout to authenticate. */
    public void start() {
        gateway.opened(this);
        gateway.metrics.connectionOpened();
        socket.textMessageHandler(this::onText);
        socket.binaryMessageHandler(b -> disconnect(Disconnect.BAD_REQUEST));
        socket.exceptionHandler(e -> Log.debugf("websocket error client=%s reason=%s", clientId, e.getMessage()));
        socket.closeHandler(v -> cleanUp());
        deadlineTimer = gateway.vertx.setTimer(gateway.config.timing().connectTimeout().toMillis(), id -> {
            if (state instanceof ConnectionState.AwaitingConnect) {
                disconnect(Disconnect.STALE);
            }
        });
    }

    private void onText(String text) {
        lastSeenMillis = gateway.clock.millis();
        if (state instanceof ConnectionState.Closed) {
            return;
        }
        if (text.length() > gateway.config.limits().maxMessageBytes()) {
            disconnect(Disconnect.MESSAGE_TOO_LARGE);
            return;
        }
        try {
            for (ClientCommand command : gateway.parser.parse(text)) {
                if (state instanceof ConnectionState.Closed) {
                    return;
                }
                handle(command);
            }
        } catch (DisconnectException e) {
            Log.debugf("client disconnected client=%s code=%d reason=%s", clientId, e.disconnect().code(), e.getMessage());
            disconnect(e.disconnect());
        }
    }

    private void handle(ClientCommand command) {
        if (command.isPong()) {
            return;
        }
        if (command.id() == 0 && command.method() != Method.SEND) {
            throw new DisconnectException(Disconnect.BAD_REQUEST, "commands other than send need an id");
        }
        if (!rate.tryTake(gateway.clock.millis())) {
            reply(gateway.replies.error(command.id(), ClientError.TOO_MANY_REQUESTS, null));
            return;
        }
        boolean connected = state instanceof ConnectionState.Connected;
        if (command.method() == Method.CONNECT && connected) {
            throw new DisconnectException(Disconnect.BAD_REQUEST, "connect sent twice");
        }
        if (command.method() != Method.CONNECT && !connected) {
            throw new DisconnectException(Disconnect.BAD_REQUEST, "first command must be connect");
        }
        try {
            dispatch(command);
        } catch (CommandException e) {
            reply(gateway.replies.error(command.id(), e.error(), e.getMessage()));
        }
    }

    private void dispatch(ClientCommand command) {
        if (command.method() == null) {
            throw new CommandException(ClientError.METHOD_NOT_FOUND, "unknown method " + command.unknownField());
        }
        switch (command.method()) {
            case CONNECT -> connect(command);
            case SUBSCRIBE -> channels.subscribe(command, connected());
            case UNSUBSCRIBE -> channels.unsubscribe(command);
            case PUBLISH -> channels.publish(command);
            case PRESENCE -> channels.presence(command, false);
            case PRESENCE_STATS -> channels.presence(command, true);
            case HISTORY -> channels.history(command);
            case PING -> reply(gateway.replies.reply(command.id(), Method.PING, gateway.replies.object()));
            case SEND -> { }
            case RPC -> throw new CommandException(ClientError.METHOD_NOT_FOUND, "this server has no RPC methods");
            case REFRESH -> refresh(command);
            case SUB_REFRESH -> channels.subRefresh(command, connected());
            default -> throw new CommandException(ClientError.METHOD_NOT_FOUND);
        }
    }

    private void connect(ClientCommand command) {
        String token = command.text("token");
        ConnectionState.Connected identity;
        if (token.isEmpty()) {
            if (!gateway.config.auth().allowAnonymous()) {
                throw new CommandException(ClientError.UNAUTHORIZED, "a connection token is required");
            }
            identity = new ConnectionState.Connected("", null, 0);
        } else {
            TokenClaims claims = verify(token);
            identity = new ConnectionState.Connected(claims.user(), claims.info(), claims.expiresAt());
        }
        state = identity;
        clientInfo = gateway.replies.clientInfo(identity.user(), clientId, identity.info());
        gateway.vertx.cancelTimer(deadlineTimer);
        ObjectNode result = gateway.replies.object();
        result.put("client", clientId);
        result.put("version", Gateway.VERSION);
        result.put("ping", Math.max(1, gateway.config.timing().ping().toSeconds()));
        result.put("pong", true);
        expiry(result, identity.expiresAt());
        reply(gateway.replies.reply(command.id(), Method.CONNECT, result));
        long pingMillis = gateway.config.timing().ping().toMillis();
        pingTimer = gateway.vertx.setPeriodic(pingMillis, id -> ping(pingMillis));
        watchExpiry(identity.expiresAt());
    }

    private void refresh(ClientCommand command) {
        ConnectionState.Connected current = connected();
        String token = command.text("token");
        if (token.isEmpty()) {
            throw new CommandException(ClientError.BAD_REQUEST, "refresh needs a token");
        }
        TokenClaims claims = verify(token);
        if (!claims.user().equals(current.user())) {
            throw new DisconnectException(Disconnect.INVALID_TOKEN, "refresh token is for another user");
        }
        state = new ConnectionState.Connected(current.user(), claims.info() == null ? current.info() : claims.info(), claims.expiresAt());
        ObjectNode result = gateway.replies.object();
        result.put("client", clientId);
        result.put("version", Gateway.VERSION);
        expiry(result, claims.expiresAt());
        reply(gateway.replies.reply(command.id(), Method.REFRESH, result));
        watchExpiry(claims.expiresAt());
    }

    /** Verifies a token: expired → error 109 (the SDK fetches a new one), invalid → disconnect 3500. */
    TokenClaims verify(String token) {
        try {
            return gateway.tokens.verify(token);
        } catch (TokenException e) {
            if (e.expired()) {
                throw new CommandException(ClientError.TOKEN_EXPIRED);
            }
            throw new DisconnectException(Disconnect.INVALID_TOKEN, e.getMessage());
        }
    }

    void expiry(ObjectNode result, long expiresAt) {
        if (expiresAt > 0) {
            result.put("expires", true);
            result.put("ttl", Math.max(0, expiresAt - gateway.clock.millis() / 1000));
        }
    }

    private void watchExpiry(long expiresAt) {
        if (expiresAt <= 0) {
            return;
        }
        long delay = Math.max(1, expiresAt * 1000 - gateway.clock.millis());
        gateway.vertx.setTimer(delay, id -> {
            if (state instanceof ConnectionState.Connected c && c.expiresAt() > 0 && c.expiresAt() * 1000 <= gateway.clock.millis()) {
                disconnect(Disconnect.EXPIRED);
            }
        });
    }

    private void ping(long pingMillis) {
        if (gateway.clock.millis() - lastSeenMillis > pingMillis + gateway.config.timing().pongGrace().toMillis()) {
            disconnect(Disconnect.NO_PONG);
            return;
        }
        outbound.offer(Replies.PING);
    }

    ConnectionState.Connected connected() {
        return (ConnectionState.Connected) state;
    }

    Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    Context context() {
        return context;
    }

    void reply(String frame) {
        outbound.offer(frame);
    }

    void join(JoinRequest request) {
        gateway.hubs.join(request);
    }

    boolean closing() {
        return closing.get();
    }

    /** Claims this connection for a server-side close; false when something already did. */
    boolean markClosing() {
        return closing.compareAndSet(false, true);
    }

    /** Called from any thread: hops onto this connection's loop. */
    public void disconnectFromAnyThread(Disconnect reason) {
        context.runOnContext(v -> disconnect(reason));
    }

    void disconnect(Disconnect reason) {
        if (state instanceof ConnectionState.Closed) {
            return;
        }
        state = new ConnectionState.Closed(reason.code());
        outbound.close();
        if (!socket.isClosed()) {
            socket.close((short) reason.code(), reason.reason());
        }
    }

    private void tooSlow() {
        if (!(state instanceof ConnectionState.Closed)) {
            gateway.metrics.slowClient();
            Log.infof("slow client disconnected client=%s queued_chars>%d", clientId, gateway.config.limits().queueBytes());
            disconnect(Disconnect.SLOW);
        }
    }

    private void cleanUp() {
        int code = state instanceof ConnectionState.Closed closed ? closed.code() : 3000;
        state = new ConnectionState.Closed(code);
        outbound.close();
        gateway.vertx.cancelTimer(pingTimer);
        gateway.vertx.cancelTimer(deadlineTimer);
        List<Subscription> open = new ArrayList<>(subscriptions.values());
        subscriptions.clear();
        open.forEach(channels::leave);
        gateway.closed(this);
        gateway.metrics.connectionClosed(code);
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public String clientInfo() {
        return clientInfo;
    }

    @Override
    public void send(String frame) {
        outbound.offer(frame);
    }

    @Override
    public java.util.concurrent.Executor enqueue(String frame) {
        return outbound.enqueue(frame) ? eventLoop : null;
    }

    @Override
    public void flush() {
        outbound.flush();
    }

    @Override
    public void subscriptionLost(String channel, ChannelHub hub, int code, String reason) {
        context.runOnContext(v -> {
            Subscription subscription = subscriptions.get(channel);
            if (subscription == null || subscription.hub != hub) {
                return;
            }
            subscriptions.remove(channel);
            channels.forget(subscription);
            outbound.offer(gateway.replies.unsubscribePush(channel, code, reason));
        });
    }
}
