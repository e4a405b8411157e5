package dev.meridian.ratelimit.limiter;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.meridian.ratelimit.store.DeadlineExpiry;
import dev.meridian.ratelimit.store.LimitOutcome;

import java.time.Clock;
import java.util.Optional;

/**
 * Counters known to be over their limit, until the moment they could admit again: a hot abusive
 * key is answered from memory instead of costing Redis a round trip per request.
 */
public final class OverLimitCache {

    private final Clock clock;
    private final Cache<String, Long> until;

    public OverLimitCache(Clock clock, long maxEntries) {
        this.clock = clock;
        this.until = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(new DeadlineExpiry<String, Long>(clock, deadline -> deadline))
                .build();
    }

    /** An over-limit outcome for {@code key} while it is known to be over, else empty. */
    public Optional<LimitOutcome> lookup(String key) {
        Long deadline = until.getIfPresent(key);
        long now = clock.millis();
        if (deadline == null || deadline <= now) {
            return Optional.empty();
        }
        long left = deadline - now;
        return Optional.of(new LimitOutcome(true, 0, left, left));
    }

    public void remember(String key, LimitOutcome outcome) {
        if (outcome.overLimit() && outcome.retryAfterMillis() > 0) {
            until.put(key, clock.millis() + outcome.retryAfterMillis());
        }
    }

}
