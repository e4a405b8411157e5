package dev.meridian.ratelimit.config;

import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The time units of a limit, as Envoy's {@code RateLimitResponse.RateLimit.Unit} defines them. */
public enum LimitUnit {
    SECOND(1, RateLimitResponse.RateLimit.Unit.SECOND),
    MINUTE(60, RateLimitResponse.RateLimit.Unit.MINUTE),
    HOUR(3600, RateLimitResponse.RateLimit.Unit.HOUR),
    DAY(86_400, RateLimitResponse.RateLimit.Unit.DAY),
    WEEK(604_800, RateLimitResponse.RateLimit.Unit.WEEK),
    MONTH(2_592_000, RateLimitResponse.RateLimit.Unit.MONTH),
    YEAR(31_536_000, RateLimitResponse.RateLimit.Unit.YEAR);

    private final long seconds;
    private final RateLimitResponse.RateLimit.Unit envoy;

    LimitUnit(long seconds, RateLimitResponse.RateLimit.Unit envoy) {
        this.seconds = seconds;
        this.envoy = envoy;
    }

    public Duration duration() {
        return Duration.ofSeconds(seconds);
    }

    public long seconds() {
        return seconds;
    }

    public RateLimitResponse.RateLimit.Unit envoy() {
        return envoy;
    }

    /** {@code second}, {@code MINUTE}, … as in envoyproxy/ratelimit's YAML (case-insensitive). */
    public static Optional<LimitUnit> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(raw.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static Optional<LimitUnit> fromEnvoy(RateLimitResponse.RateLimit.Unit unit) {
        for (LimitUnit candidate : values()) {
            if (candidate.envoy == unit) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
