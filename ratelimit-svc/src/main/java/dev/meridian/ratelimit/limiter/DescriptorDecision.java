package dev.meridian.ratelimit.limiter;

import dev.meridian.ratelimit.config.LimitRule;

import java.time.Duration;

/**
 * The answer for one descriptor.
 *
 * @param code         OK or OVER_LIMIT (shadow-mode descriptors report OK)
 * @param currentLimit the limit that decided; null when none applied or it is unlimited
 * @param remaining    hits left in the window ({@link #UNLIMITED} for unlimited descriptors)
 * @param untilReset   until that limit's window resets
 * @param retryAfter   when over: until a hit would be allowed
 * @param shadowed     over the limit but let through by shadow mode
 * @param quotaMode    the descriptor is in quota mode
 */
public record DescriptorDecision(Code code, LimitRule currentLimit, long remaining, Duration untilReset, Duration retryAfter,
        boolean shadowed, boolean quotaMode) {

    /** Envoy reports unlimited descriptors with MaxUint32 remaining. */
    public static final long UNLIMITED = 0xFFFF_FFFFL;

    public static DescriptorDecision noLimit() {
        return new DescriptorDecision(Code.OK, null, 0, Duration.ZERO, Duration.ZERO, false, false);
    }

    public static DescriptorDecision unlimited() {
        return new DescriptorDecision(Code.OK, null, UNLIMITED, Duration.ZERO, Duration.ZERO, false, false);
    }
}
