package dev.meridian.router.routing;

import java.util.Locale;

/** How fresh a read must be. */
public enum Consistency {
    /** Any replica within the lag bounds. */
    EVENTUAL,
    /** After a write commits, reads go only to replicas that have replayed it (else to the primary). */
    READ_YOUR_WRITES,
    /** Every statement on the primary. */
    PRIMARY;

    public static Consistency parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "eventual" -> EVENTUAL;
            case "read-your-writes", "read_your_writes" -> READ_YOUR_WRITES;
            case "primary" -> PRIMARY;
            default -> throw new IllegalArgumentException("consistency must be eventual, read-your-writes or primary: " + text);
        };
    }

    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
