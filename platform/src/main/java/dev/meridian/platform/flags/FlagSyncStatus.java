package dev.meridian.platform.flags;

import java.time.Instant;

/**
 * How well this instance is following the cluster-wide flags.
 *
 * @param redisConnected whether the control stream is being followed right now
 * @param lastSync       when the Redis hash was last read successfully ({@code null}: never)
 * @param lastError      why Redis was last unreachable ({@code null} while connected)
 */
public record FlagSyncStatus(boolean redisConnected, Instant lastSync, String lastError) {
}
