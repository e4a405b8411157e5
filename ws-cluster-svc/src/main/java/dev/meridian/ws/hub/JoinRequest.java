package dev.meridian.ws.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.ws.config.WsConfig.ChannelOptions;

import java.util.function.BiConsumer;

/**
 * A subscription on its way into a hub.
 *
 * @param replyId    the subscribe command's id: the hub writes the reply, so it is ordered with publications
 * @param recover    the client asked to recover from {@code offset} in {@code epoch}
 * @param joinLeave  the client wants join and leave pushes
 * @param result     fields the connection adds to the subscribe result (token expiry)
 * @param onAdmitted called with the hub once the reply is queued, or with the failure (and a null hub)
 */
public record JoinRequest(Subscriber subscriber, String channel, ChannelOptions options, long replyId, boolean recover,
        long offset, String epoch, boolean joinLeave, ObjectNode result, BiConsumer<ChannelHub, Throwable> onAdmitted) {
}
