package dev.meridian.ws.broker;

/**
 * Redis names of a channel. Keys carry the channel in a hash tag, so one channel's keys share a
 * slot on Redis Cluster and the scripts that touch several of them stay legal there.
 */
public record ChannelKeys(String prefix) {

    public String stream(String channel) {
        return prefix + ":{" + channel + "}:stream";
    }

    public String meta(String channel) {
        return prefix + ":{" + channel + "}:meta";
    }

    public String presence(String channel) {
        return prefix + ":{" + channel + "}:presence";
    }

    public String presenceExpiry(String channel) {
        return prefix + ":{" + channel + "}:presence-exp";
    }

    /** The pub/sub channel a node subscribes to while it has local subscribers of {@code channel}. */
    public String fanout(String channel) {
        return prefix + ":fanout:" + channel;
    }

    /** The channel name back from a fan-out name, or null. */
    public String channelOf(String fanout) {
        String head = prefix + ":fanout:";
        return fanout.startsWith(head) ? fanout.substring(head.length()) : null;
    }

    public String nodes() {
        return prefix + ":nodes";
    }
}
