package dev.meridian.ws.session;

import dev.meridian.ws.config.WsConfig.ChannelOptions;
import dev.meridian.ws.hub.ChannelHub;

/** One channel of a connection. {@code hub} is null until the hub has admitted it. Confined to the connection's loop. */
final class Subscription {

    final String channel;
    final ChannelOptions options;
    final boolean joinLeave;
    ChannelHub hub;
    long expiresAt;

    Subscription(String channel, ChannelOptions options, boolean joinLeave, long expiresAt) {
        this.channel = channel;
        this.options = options;
        this.joinLeave = joinLeave;
        this.expiresAt = expiresAt;
    }

    boolean tracksPresence() {
        return options.presence() || options.joinLeave();
    }
}
