package dev.meridian.glb.config;

/** A config file that cannot be used: names the file and the setting at fault. */
public final class GlbConfigException extends RuntimeException {

    public GlbConfigException(String message) {
        super(message, null, false, false);
    }
}
