package dev.meridian.ws.session;

import dev.meridian.ws.admin.WsMetrics;
import dev.meridian.ws.auth.TokenVerifier;
import dev.meridian.ws.broker.Broker;
import dev.meridian.ws.config.Namespaces;
import dev.meridian.ws.config.WsConfig;
import dev.meridian.ws.hub.Hubs;
import dev.meridian.ws.protocol.CommandParser;
import dev.meridian.ws.protocol.Disconnect;
import dev.meridian.ws.protocol.Replies;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** What every connection of this node shares, and the set of open connections (for drain and rebalance). */
public final class Gateway {

    public static final String VERSION = "meridian-ws 0.1";

    final Vertx vertx;
    final WsConfig config;
    final Namespaces namespaces;
    final TokenVerifier tokens;
    final Hubs hubs;
    final Replies replies;
    final CommandParser parser;
    final WsMetrics metrics;
    final Clock clock;
    private final Supplier<Broker> broker;
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();

    public Gateway(Vertx vertx, WsConfig config, Namespaces namespaces, TokenVerifier tokens, Hubs hubs, Replies replies,
            CommandParser parser, WsMetrics metrics, Clock clock, Supplier<Broker> broker) {
        this.vertx = vertx;
        this.config = config;
        this.namespaces = namespaces;
        this.tokens = tokens;
        this.hubs = hubs;
        this.replies = replies;
        this.parser = parser;
        this.metrics = metrics;
        this.clock = clock;
        this.broker = broker;
    }

    public Broker broker() {
        return broker.get();
    }

    void opened(ClientSession session) {
        sessions.add(session);
    }

    void closed(ClientSession session) {
        sessions.remove(session);
    }

    public int connections() {
        return sessions.size();
    }

    /** Connections not already being closed by the server: what membership reports and rebalancing weighs. */
    public int serving() {
        int count = 0;
        for (ClientSession session : sessions) {
            if (!session.closing()) {
                count++;
            }
        }
        return count;
    }

    /** Closes up to {@code count} connections with {@code reason}; returns how many it closed. */
    public int disconnect(int count, Disconnect reason) {
        List<ClientSession> chosen = new ArrayList<>(Math.min(count, sessions.size()));
        for (ClientSession session : sessions) {
            if (chosen.size() == count) {
                break;
            }
            if (session.markClosing()) {
                chosen.add(session);
            }
        }
        chosen.forEach(s -> s.disconnectFromAnyThread(reason));
        return chosen.size();
    }
}
