package dev.meridian.platform.redis;

import java.time.Duration;

/** A blocking stream read did not return in time: the connection is presumed dead and replaced. */
public final class StreamReadTimeoutException extends RuntimeException {

    private final String stream;
    private final Duration waited;

    public StreamReadTimeoutException(String stream, Duration waited) {
        super("no reply from XREAD on " + stream + " within " + waited.toMillis() + " ms", null, false, false);
        this.stream = stream;
        this.waited = waited;
    }

    public String stream() {
        return stream;
    }

    public Duration waited() {
        return waited;
    }
}
