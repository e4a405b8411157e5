package dev.meridian.ratelimit.store;

import io.smallrye.mutiny.Uni;

import java.util.List;

/** Where counters live. Implementations answer in the order of the checks. */
public interface CounterStore {

    /** Checks and counts every limit, in as few round trips as the store allows. */
    Uni<List<LimitOutcome>> apply(List<LimitCheck> checks);

    /** A short name for health and metrics: {@code redis}, {@code redis-cluster}, {@code memory}. */
    String kind();
}
