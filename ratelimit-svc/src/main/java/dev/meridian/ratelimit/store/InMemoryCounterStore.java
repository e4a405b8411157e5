package dev.meridian.ratelimit.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Counters in this process: the embedded default when no Redis is configured (one instance), and
 * the approximate limiter while Redis is unreachable. Bounded in entries; each entry expires when its
 * window (or bucket) no longer matters.
 */
public final class InMemoryCounterStore implements CounterStore {

    private record Entry(CounterMath.State state, long expiresAt) {
    }

    private final Clock clock;
    private final Cache<String, Entry> counters;

    public InMemoryCounterStore(Clock clock, long maxEntries) {
        this.clock = clock;
        this.counters = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(new DeadlineExpiry<String, Entry>(clock, Entry::expiresAt))
                .build();
    }

    @Override
    public Uni<List<LimitOutcome>> apply(List<LimitCheck> checks) {
        return Uni.createFrom().item(() -> applyNow(checks));
    }

    /** Synchronous form, for callers already off the event loop and for tests. */
    public synchronized List<LimitOutcome> applyNow(List<LimitCheck> checks) {
        long now = clock.millis();
        List<CounterMath.Step> steps = new ArrayList<>(checks.size());
        Set<Integer> deniedGroups = new HashSet<>();
        for (LimitCheck check : checks) {
            Entry entry = counters.getIfPresent(check.key());
            CounterMath.State state = entry == null || entry.expiresAt() <= now ? CounterMath.State.EMPTY : entry.state();
            CounterMath.Step step = switch (check.algorithm()) {
                case FIXED_WINDOW -> CounterMath.fixedWindow(state, now, check.limit(), check.windowMillis(), check.hits());
                case SLIDING_WINDOW -> CounterMath.slidingWindow(state, now, check.limit(), check.windowMillis(), check.hits());
                case TOKEN_BUCKET -> CounterMath.tokenBucket(state, now, check.limit(), check.windowMillis(), check.hits());
            };
            if (step.outcome().overLimit()) {
                deniedGroups.add(check.group());
            }
            steps.add(step);
        }
        List<LimitOutcome> outcomes = new ArrayList<>(checks.size());
        for (int i = 0; i < checks.size(); i++) {
            LimitCheck check = checks.get(i);
            CounterMath.Step step = steps.get(i);
            boolean commit = check.hits() > 0 && (step.countsWhenDenied() || !deniedGroups.contains(check.group()));
            if (commit) {
                counters.put(check.key(), new Entry(step.next(), now + ttl(check, step, now)));
            }
            outcomes.add(step.outcome());
        }
        return outcomes;
    }

    @Override
    public String kind() {
        return "memory";
    }


    private static long ttl(LimitCheck check, CounterMath.Step step, long now) {
        return switch (check.algorithm()) {
            case FIXED_WINDOW -> step.outcome().resetMillis() + 1000;
            case SLIDING_WINDOW -> step.outcome().resetMillis() + check.windowMillis() + 1000;
            case TOKEN_BUCKET -> (long) Math.ceil(step.next().tat() - now) + 1000;
        };
    }
}
