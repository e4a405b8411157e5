package dev.meridian.platform.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;

/** What a {@link StreamTail} hands its entries and connection events to. Called on the tail's Vert.x context. */
public interface StreamConsumer {

    /**
     * Called after every (re)connect, before the first read. Returns the id to read after. The default
     * resumes right after the last entry delivered, so an outage loses nothing that the stream still
     * holds. Consumers that keep a snapshot elsewhere (flags keep a hash) may re-read it here and
     * return the stream's current end instead.
     *
     * @param redis         the client the tail was built with, for snapshot reads
     * @param lastDelivered id of the last entry delivered, or the resolved start position
     */
    default Uni<String> onConnected(Redis redis, String lastDelivered) {
        return Uni.createFrom().item(lastDelivered);
    }

    /** One entry, in stream order. Must not block. */
    void onEntry(StreamEntry entry);

    /** The connection failed or a read timed out; the tail is about to back off and reconnect. */
    default void onDisconnected(Throwable cause) {
    }
}
