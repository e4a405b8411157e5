package dev.meridian.ws.session;

/**
 * A token bucket per connection: {@code perSecond} commands sustained, twice that in a burst.
 * Confined to the connection's event loop.
 */
final class CommandRate {

    private final double perMilli;
    private final double capacity;
    private double tokens;
    private long lastMillis;

    CommandRate(int perSecond, long nowMillis) {
        this.perMilli = perSecond / 1000.0;
        this.capacity = Math.max(1, perSecond * 2.0);
        this.tokens = capacity;
        this.lastMillis = nowMillis;
    }

    boolean tryTake(long nowMillis) {
        if (nowMillis > lastMillis) {
            tokens = Math.min(capacity, tokens + (nowMillis - lastMillis) * perMilli);
            lastMillis = nowMillis;
        }
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
