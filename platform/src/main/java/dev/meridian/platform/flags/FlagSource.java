package dev.meridian.platform.flags;

/** Where a flag's current value came from. */
public enum FlagSource {
    /** The {@code ENABLE_*} environment (or its default, on); Redis has said nothing yet. */
    ENVIRONMENT,
    /** The Redis hash {@code meridian:flags}, read at start, after a reconnect or by the periodic reconcile. */
    REDIS_HASH,
    /** An event on the {@code meridian:control} stream. */
    CONTROL_STREAM
}
