package dev.meridian.ws.broker;

/**
 * One message of a channel's history.
 *
 * @param offset     its place in the channel, contiguous from 1 within an epoch
 * @param data       the payload as JSON text
 * @param info       the publisher's client info as JSON text, or null (server-side publishes)
 * @param timeMillis when it was published (server time), for delivery latency
 */
public record Publication(long offset, String data, String info, long timeMillis) {
}
