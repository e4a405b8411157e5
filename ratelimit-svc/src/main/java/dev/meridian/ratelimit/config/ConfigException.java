package dev.meridian.ratelimit.config;

/** A config file that cannot be used, with where and why; the last good config stays active. */
public final class ConfigException extends RuntimeException {

    private final SourcePosition position;
    private final String reason;

    public ConfigException(SourcePosition position, String reason) {
        super(position + ": " + reason, null, false, false);
        this.position = position;
        this.reason = reason;
    }

    public SourcePosition position() {
        return position;
    }

    /** The message without the position. */
    public String reason() {
        return reason;
    }
}
