package dev.meridian.platform.flags;

import dev.meridian.platform.redis.StreamTail;

import java.time.Duration;

/**
 * Where flags live in Redis and how closely an instance follows them.
 *
 * @param hashKey            hash holding the cluster-wide values ({@code meridian:flags})
 * @param controlStream      stream every change is published on ({@code meridian:control})
 * @param controlStreamMaxLen approximate cap on the control stream's length
 * @param reconcileInterval  how often the hash is re-read, catching a change whose event was lost
 * @param tail               how the control stream is followed
 */
public record FlagSettings(String hashKey, String controlStream, long controlStreamMaxLen, Duration reconcileInterval,
        StreamTail.Options tail) {

    public static FlagSettings defaults() {
        return new FlagSettings("meridian:flags", "meridian:control", 10_000, Duration.ofSeconds(10),
                StreamTail.Options.defaults());
    }
}
