package dev.meridian.ratelimit.store;

/**
 * The arithmetic of the three algorithms, shared by the in-memory store and mirrored line for line
 * by {@code ratelimit.lua}. Times are epoch milliseconds.
 */
public final class CounterMath {

    private CounterMath() {
    }

    /** State of one counter. Fixed/sliding: window start, current and previous counts. Token bucket: TAT. */
    public record State(long windowStart, long current, long previous, double tat) {
        static final State EMPTY = new State(-1, 0, 0, 0);
    }

    /** A decision and the state to store if it is committed. */
    public record Step(LimitOutcome outcome, State next, boolean countsWhenDenied) {
    }

    public static Step fixedWindow(State state, long now, long limit, long window, long hits) {
        long start = now - Math.floorMod(now, window);
        long before = state.windowStart() == start ? state.current() : 0;
        long after = before + hits;
        boolean over = after > limit;
        long reset = start + window - now;
        LimitOutcome outcome = new LimitOutcome(over, Math.max(0, limit - after), reset, over ? reset : 0);
        // Envoy counts every hit, allowed or not.
        return new Step(outcome, new State(start, after, 0, 0), true);
    }

    public static Step slidingWindow(State state, long now, long limit, long window, long hits) {
        long start = now - Math.floorMod(now, window);
        long current;
        long previous;
        if (state.windowStart() == start) {
            current = state.current();
            previous = state.previous();
        } else if (state.windowStart() == start - window) {
            current = 0;
            previous = state.current();
        } else {
            current = 0;
            previous = 0;
        }
        long elapsed = now - start;
        double estimate = previous * (double) (window - elapsed) / window + current;
        boolean over = estimate + hits > limit;
        long reset = start + window - now;
        long retry = 0;
        if (over) {
            long room = limit - current - hits;
            if (room < 0 || previous == 0) {
                retry = reset;
            } else {
                double elapsedNeeded = window * (1 - (double) room / previous);
                retry = Math.max(1, (long) Math.ceil(elapsedNeeded) - elapsed);
            }
        }
        long remaining = over ? 0 : Math.max(0, (long) Math.floor(limit - estimate - hits));
        return new Step(new LimitOutcome(over, remaining, reset, retry), new State(start, current + hits, previous, 0), false);
    }

    /** GCRA: one token every window/limit, bursts up to the limit. */
    public static Step tokenBucket(State state, long now, long limit, long window, long hits) {
        if (limit <= 0) {
            boolean over = hits > 0;
            return new Step(new LimitOutcome(over, 0, window, over ? window : 0), state, false);
        }
        double interval = (double) window / limit;
        double tat = Math.max(state.tat(), now);
        double nextTat = tat + hits * interval;
        double allowAt = nextTat - window;
        boolean over = now < allowAt;
        if (over) {
            long retry = Math.max(1, (long) Math.ceil(allowAt - now));
            long remaining = Math.max(0, (long) Math.floor((window - (tat - now)) / interval));
            return new Step(new LimitOutcome(true, remaining, (long) Math.ceil(tat - now), retry), state, false);
        }
        long remaining = Math.max(0, (long) Math.floor((window - (nextTat - now)) / interval));
        return new Step(new LimitOutcome(false, remaining, (long) Math.ceil(nextTat - now), 0),
                new State(-1, 0, 0, nextTat), false);
    }
}
