package dev.meridian.ws.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.meridian.ws.auth.TokenClaims;
import dev.meridian.ws.broker.Broker;
import dev.meridian.ws.broker.Publication;
import dev.meridian.ws.config.WsConfig.ChannelOptions;
import dev.meridian.ws.hub.JoinRequest;
import dev.meridian.ws.protocol.ClientCommand;
import dev.meridian.ws.protocol.ClientError;
import dev.meridian.ws.protocol.CommandException;
import dev.meridian.ws.protocol.Method;
import dev.meridian.ws.protocol.Replies;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The channel commands of one connection: subscribe, unsubscribe, publish, presence, history, sub_refresh. */
final class ChannelCommands {

    private final Gateway gateway;
    private final ClientSession session;

    ChannelCommands(Gateway gateway, ClientSession session) {
        this.gateway = gateway;
        this.session = session;
    }

    void subscribe(ClientCommand command, ConnectionState.Connected identity) {
        String channel = command.text("channel");
        ChannelOptions options = gateway.namespaces.resolve(channel);
        Map<String, Subscription> subscriptions = session.subscriptions();
        if (subscriptions.containsKey(channel)) {
            throw new CommandException(ClientError.ALREADY_SUBSCRIBED);
        }
        if (subscriptions.size() >= gateway.config.limits().channelsPerConnection()) {
            throw new CommandException(ClientError.LIMIT_EXCEEDED, "at most " + gateway.config.limits().channelsPerConnection()
                    + " channels per connection");
        }
        if (identity.user().isEmpty() && !options.anonymous()) {
            throw new CommandException(ClientError.PERMISSION_DENIED, "anonymous clients may not subscribe to " + channel);
        }
        long expiresAt = options.tokenRequired() ? subscriptionToken(command, channel, identity).expiresAt() : 0;
        Subscription subscription = new Subscription(channel, options, command.flag("join_leave") && options.joinLeave(), expiresAt);
        subscriptions.put(channel, subscription);
        gateway.metrics.subscribed();
        ObjectNode result = gateway.replies.object();
        session.expiry(result, expiresAt);
        watchExpiry(subscription);
        session.join(new JoinRequest(session, channel, options, command.id(), command.flag("recover"), command.number("offset"),
                command.text("epoch"), subscription.joinLeave, result, (hub, failure) -> session.context().runOnContext(v -> {
                    if (session.subscriptions().get(channel) != subscription) {
                        return;
                    }
                    if (failure != null) {
                        session.subscriptions().remove(channel);
                        gateway.metrics.unsubscribed();
                        Log.debugf("subscribe failed channel=%s reason=%s", channel, failure.getMessage());
                        session.reply(gateway.replies.error(command.id(), ClientError.INTERNAL, null));
                        return;
                    }
                    subscription.hub = hub;
                    if (subscription.tracksPresence()) {
                        Broker broker = gateway.broker();
                        quietly(broker.presenceAdd(channel, Map.of(session.clientId(), session.clientInfo())));
                        if (options.joinLeave()) {
                            quietly(broker.announceJoin(channel, session.clientInfo()));
                        }
                    }
                })));
    }

    private TokenClaims subscriptionToken(ClientCommand command, String channel, ConnectionState.Connected identity) {
        String token = command.text("token");
        if (token.isEmpty()) {
            throw new CommandException(ClientError.PERMISSION_DENIED, "channel " + channel + " needs a subscription token");
        }
        TokenClaims claims;
        try {
            claims = gateway.tokens.verify(token);
        } catch (dev.meridian.ws.auth.TokenException e) {
            throw new CommandException(e.expired() ? ClientError.TOKEN_EXPIRED : ClientError.PERMISSION_DENIED, e.getMessage());
        }
        if (!channel.equals(claims.channel()) || !claims.user().equals(identity.user())) {
            throw new CommandException(ClientError.PERMISSION_DENIED, "the subscription token is for another channel or user");
        }
        return claims;
    }

    void subRefresh(ClientCommand command, ConnectionState.Connected identity) {
        String channel = command.text("channel");
        Subscription subscription = session.subscriptions().get(channel);
        if (subscription == null) {
            throw new CommandException(ClientError.BAD_REQUEST, "not subscribed to " + channel);
        }
        TokenClaims claims = subscriptionToken(command, channel, identity);
        subscription.expiresAt = claims.expiresAt();
        watchExpiry(subscription);
        ObjectNode result = gateway.replies.object();
        session.expiry(result, claims.expiresAt());
        session.reply(gateway.replies.reply(command.id(), Method.SUB_REFRESH, result));
    }

    /**
     * A subscription whose token runs out without a sub_refresh is dropped with unsubscribe code
     * 2501: the SDK subscribes again with a fresh token.
     */
    private void watchExpiry(Subscription subscription) {
        if (subscription.expiresAt <= 0) {
            return;
        }
        long delay = Math.max(1, subscription.expiresAt * 1000 - gateway.clock.millis());
        gateway.vertx.setTimer(delay, id -> session.context().runOnContext(v -> {
            if (session.subscriptions().get(subscription.channel) == subscription && subscription.expiresAt > 0
                    && subscription.expiresAt * 1000 <= gateway.clock.millis()) {
                session.subscriptions().remove(subscription.channel);
                leave(subscription);
                session.reply(gateway.replies.unsubscribePush(subscription.channel, SUBSCRIPTION_EXPIRED, "subscription expired"));
            }
        }));
    }

    /** Unsubscribe push code: the subscription token expired (the SDK resubscribes with a new one). */
    static final int SUBSCRIPTION_EXPIRED = 2501;

    void unsubscribe(ClientCommand command) {
        Subscription subscription = session.subscriptions().remove(command.text("channel"));
        if (subscription != null) {
            leave(subscription);
        }
        session.reply(gateway.replies.reply(command.id(), Method.UNSUBSCRIBE, gateway.replies.object()));
    }

    /** The connection let go of a subscription: out of its hub, presence and the count. */
    void leave(Subscription subscription) {
        gateway.hubs.leave(session, subscription.channel);
        forget(subscription);
    }

    /** Presence and the count, for a subscription its hub already dropped. */
    void forget(Subscription subscription) {
        gateway.metrics.unsubscribed();
        if (subscription.tracksPresence() && subscription.hub != null) {
            Broker broker = subscription.hub.brokerInUse();
            quietly(broker.presenceRemove(subscription.channel, session.clientId()));
            if (subscription.options.joinLeave()) {
                quietly(broker.announceLeave(subscription.channel, session.clientInfo()));
            }
        }
    }

    void publish(ClientCommand command) {
        String channel = command.text("channel");
        ChannelOptions options = gateway.namespaces.resolve(channel);
        if (!options.publish()) {
            throw new CommandException(ClientError.PERMISSION_DENIED, "clients may not publish to " + channel);
        }
        JsonNode data = command.node("data");
        if (data == null || data.isNull() || data.isMissingNode()) {
            throw new CommandException(ClientError.BAD_REQUEST, "publish needs data");
        }
        gateway.broker().publish(channel, data.toString(), session.clientInfo(), options).subscribe().with(position -> {
            gateway.metrics.published();
            session.reply(gateway.replies.reply(command.id(), Method.PUBLISH, gateway.replies.object()));
        }, failure -> {
            Log.debugf("publish failed channel=%s reason=%s", channel, failure.getMessage());
            session.reply(gateway.replies.error(command.id(), ClientError.INTERNAL, null));
        });
    }

    void presence(ClientCommand command, boolean stats) {
        String channel = command.text("channel");
        ChannelOptions options = gateway.namespaces.resolve(channel);
        if (!options.presence()) {
            throw new CommandException(ClientError.NOT_AVAILABLE, "presence is off for " + channel);
        }
        answer(command, gateway.broker().presence(channel).map(clients -> {
            ObjectNode result = gateway.replies.object();
            if (stats) {
                Set<String> users = new HashSet<>();
                clients.values().forEach(info -> users.add(Replies.userOf(info)));
                result.put("num_clients", clients.size());
                result.put("num_users", users.size());
            } else {
                ObjectNode presence = result.putObject("presence");
                clients.forEach((client, info) -> presence.putRawValue(client, new RawValue(info)));
            }
            return gateway.replies.reply(command.id(), stats ? Method.PRESENCE_STATS : Method.PRESENCE, result);
        }));
    }

    void history(ClientCommand command) {
        String channel = command.text("channel");
        ChannelOptions options = gateway.namespaces.resolve(channel);
        if (!options.history() || options.historySize() == 0) {
            throw new CommandException(ClientError.NOT_AVAILABLE, "history is off for " + channel);
        }
        long requested = command.number("limit");
        int limit = requested < 0 ? options.historySize() : (int) Math.min(requested, options.historySize());
        JsonNode since = command.node("since");
        boolean reverse = command.flag("reverse");
        boolean positioned = since != null && since.isObject();
        Uni<Broker.HistoryPage> page = gateway.broker().history(channel, positioned ? since.path("offset").asLong(0) : -1,
                positioned ? since.path("epoch").asText("") : "", Math.max(1, limit), options);
        answer(command, page.map(p -> {
            List<Publication> publications = limit == 0 ? List.of() : new ArrayList<>(p.publications());
            if (reverse) {
                Collections.reverse(publications);
            }
            ObjectNode result = gateway.replies.object();
            result.set("publications", gateway.replies.publications(publications));
            result.put("epoch", p.position().epoch());
            result.put("offset", p.position().offset());
            return gateway.replies.reply(command.id(), Method.HISTORY, result);
        }));
    }

    private void answer(ClientCommand command, Uni<String> reply) {
        reply.subscribe().with(session::reply, failure -> {
            ClientError error = failure instanceof CommandException e ? e.error() : ClientError.INTERNAL;
            session.reply(gateway.replies.error(command.id(), error, null));
        });
    }

    private static void quietly(Uni<Void> call) {
        call.subscribe().with(ok -> { }, e -> Log.debugf("presence update failed: %s", e.getMessage()));
    }
}
