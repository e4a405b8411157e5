package dev.meridian.ws.hub;

/** What a channel hub needs of a connection. Called on the hub's context; implementations hand work to their own. */
public interface Subscriber {

    String clientId();

    /** This connection's client info JSON ({@code {"user":…,"client":…}}), for presence and join/leave. */
    String clientInfo();

    /** Queues a frame for the connection, in call order. */
    void send(String frame);

    /**
     * Queues a frame like {@link #send} but leaves waking the connection to the caller: returns the
     * event loop to run {@link #flush()} on, or null when a flush is already due.
     */
    java.util.concurrent.Executor enqueue(String frame);

    /** Writes queued frames; only on the executor {@link #enqueue} returned. */
    void flush();

    /**
     * The hub dropped this subscription (its position could not be kept): the connection forgets it
     * and sends an unsubscribe push with {@code code}, after which the SDK subscribes again and recovers.
     */
    void subscriptionLost(String channel, ChannelHub hub, int code, String reason);
}
