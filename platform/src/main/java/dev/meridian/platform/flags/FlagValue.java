package dev.meridian.platform.flags;

import java.time.Instant;

/**
 * A flag's value on this instance and how it got there.
 *
 * @param enabled   the value in force
 * @param source    where it came from
 * @param changedAt when this instance last changed it (start time for environment values)
 */
public record FlagValue(boolean enabled, FlagSource source, Instant changedAt) {
}
