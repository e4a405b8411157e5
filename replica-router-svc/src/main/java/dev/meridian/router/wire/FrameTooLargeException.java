package dev.meridian.router.wire;

/** A message longer than the configured limit: refused before it is buffered. */
public final class FrameTooLargeException extends ProtocolException {

    private final int max;
    private final long received;

    public FrameTooLargeException(int max, long received) {
        super("message of " + received + " bytes exceeds the limit of " + max);
        this.max = max;
        this.received = received;
    }

    public int max() {
        return max;
    }

    public long received() {
        return received;
    }
}
