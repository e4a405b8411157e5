package dev.meridian.platform.metrics;

import java.util.regex.Pattern;

/**
 * Builds meter names in the house form {@code meridian.<svc>.<thing>}, which Prometheus shows as
 * {@code meridian_<svc>_<thing>}. Tags must stay low-cardinality: never a user key, IP, URL or channel.
 */
public final class MeterNames {

    private static final Pattern PART = Pattern.compile("[a-z][a-z0-9_.]*");

    private MeterNames() {
    }

    /** A meter owned by the platform itself (flags, breakers, streams). */
    public static String platform(String thing) {
        return of("platform", thing);
    }

    public static String of(String service, String thing) {
        if (!PART.matcher(service).matches() || !PART.matcher(thing).matches()) {
            throw new IllegalArgumentException("meter name parts must be lower-case [a-z0-9_.]: " + service + ", " + thing);
        }
        return "meridian." + service + "." + thing;
    }
}
