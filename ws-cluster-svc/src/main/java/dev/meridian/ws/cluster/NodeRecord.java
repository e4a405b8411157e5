package dev.meridian.ws.cluster;

/**
 * One node's membership record in Redis, refreshed every heartbeat.
 *
 * @param at when it was written (epoch millis)
 */
public record NodeRecord(String id, String address, int connections, long subscriptions, int channels, boolean draining, long at) {
}
