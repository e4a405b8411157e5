package dev.meridian.ws.broker;

/** Where a channel's history stands: the last offset and the epoch the offsets belong to. */
public record StreamPosition(long offset, String epoch) {

    public static final StreamPosition EMPTY = new StreamPosition(0, "");
}
