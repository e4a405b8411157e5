package dev.meridian.ratelimit.limiter;

import dev.meridian.ratelimit.config.LimitRule;
import dev.meridian.ratelimit.store.LimitOutcome;

/** Told about every limit decided, for metrics and the health page. */
public interface DecisionObserver {

    DecisionObserver NONE = new DecisionObserver() {
    };

    /**
     * @param domain   the configured domain, or {@code _unknown} (never a client-chosen string)
     * @param rule     the limit (its metric key is config-bounded, never a request value)
     * @param outcome  what the counter said
     * @param hits     hits the request added
     * @param shadowed over, but let through by shadow mode
     * @param cached   answered from the over-limit cache
     */
    default void onLimit(String domain, LimitRule rule, LimitOutcome outcome, long hits, boolean shadowed, boolean cached) {
    }

    /** The rate-limiting flag is off; the matched limit still counts as a hit. */
    default void onDisabled(String domain, LimitRule rule, long hits) {
    }

    /** The counter store failed; the decision fell back. */
    default void onStoreFailure(String domain, Throwable cause) {
    }
}
