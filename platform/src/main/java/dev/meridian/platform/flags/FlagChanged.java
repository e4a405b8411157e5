package dev.meridian.platform.flags;

/**
 * Fired (as a CDI event and to plain listeners) whenever a flag's effective value changes on this
 * instance. Observers run on the Vert.x event loop and must not block.
 *
 * @param flag    which flag
 * @param enabled its new value
 * @param source  what told this instance
 * @param actor   who changed it, when the control event says so (else {@code null})
 */
public record FlagChanged(Flag flag, boolean enabled, FlagSource source, String actor) {
}
