package dev.meridian.platform.flags;

import java.util.Locale;
import java.util.Optional;

/** How flag values are spelled in Redis and in {@code ENABLE_*} variables. */
public final class FlagValues {

    private FlagValues() {
    }

    /** {@code true/false}, {@code on/off}, {@code 1/0}, {@code yes/no}, any case; anything else is empty. */
    public static Optional<Boolean> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "on", "1", "yes", "enabled" -> Optional.of(Boolean.TRUE);
            case "false", "off", "0", "no", "disabled" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }

    public static String format(boolean enabled) {
        return enabled ? "true" : "false";
    }
}
