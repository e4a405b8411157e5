package dev.meridian.ws.broker;

import dev.meridian.ws.config.WsConfig.ChannelOptions;
import dev.meridian.ws.protocol.ClientError;
import dev.meridian.ws.protocol.CommandException;
import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Map;

/**
 * Where channels live: their history with contiguous offsets and an epoch, the fan-out between
 * nodes, and presence. {@link RedisBroker} shares them across the cluster; {@link MemoryBroker}
 * keeps them in this node alone (no Redis, or the {@code websocket-cluster} flag off).
 */
public interface Broker {

    /** Appends to the channel's history and fans the publication out to every node subscribed to it. */
    Uni<StreamPosition> publish(String channel, String data, String info, ChannelOptions options);

    /** The channel's last offset and epoch; an epoch is made on first use so later recoveries can refer to it. */
    Uni<StreamPosition> position(String channel, ChannelOptions options);

    /**
     * The publications after {@code afterOffset} up to {@code toOffset}, oldest first, as far as the
     * history still holds them (callers check the result is contiguous), with the position read in the same step.
     */
    Uni<HistoryPage> range(String channel, long afterOffset, long toOffset, int limit, ChannelOptions options);

    /** The newest publications, at most {@code limit}, oldest first. */
    Uni<HistoryPage> latest(String channel, int limit, ChannelOptions options);

    /**
     * History as clients and the server API ask for it: after {@code afterOffset} (negative: the
     * newest), at most {@code limit}; when {@code epoch} is given and the channel is in another one,
     * fails with 112 (unrecoverable position).
     */
    default Uni<HistoryPage> history(String channel, long afterOffset, String epoch, int limit, ChannelOptions options) {
        Uni<HistoryPage> page = afterOffset >= 0 ? range(channel, afterOffset, Long.MAX_VALUE, limit, options)
                : latest(channel, limit, options);
        return page.invoke(p -> {
            if (epoch != null && !epoch.isEmpty() && !epoch.equals(p.position().epoch())) {
                throw new CommandException(ClientError.UNRECOVERABLE_POSITION, "epoch " + epoch + " is gone; the channel is at "
                        + p.position().epoch());
            }
        });
    }

    /** Starts receiving the channel's publications, joins and leaves on this node; completes once subscribed. */
    Uni<Void> follow(String channel);

    /** Stops receiving the channel. */
    Uni<Void> unfollow(String channel);

    Uni<Void> announceJoin(String channel, String clientInfo);

    Uni<Void> announceLeave(String channel, String clientInfo);

    /** Adds or refreshes clients in a channel's presence (client id → client info JSON). */
    Uni<Void> presenceAdd(String channel, Map<String, String> clients);

    Uni<Void> presenceRemove(String channel, String client);

    /** The channel's present clients: client id → client info JSON. */
    Uni<Map<String, String>> presence(String channel);

    /** Whether the broker shares channels with other nodes. */
    boolean clustered();

    void close();

    /** A slice of history and the position it was read at. */
    record HistoryPage(StreamPosition position, List<Publication> publications) {
    }

    /** What a broker delivers to this node's channels. Called on any thread. */
    interface Listener {
        void onPublication(String channel, String epoch, Publication publication);

        void onJoin(String channel, String clientInfo);

        void onLeave(String channel, String clientInfo);

        /** The fan-out link was re-established: publications may have been missed meanwhile. */
        void onRelinked();
    }
}
