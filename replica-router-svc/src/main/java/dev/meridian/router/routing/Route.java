package dev.meridian.router.routing;

/** Where a statement may run. */
public enum Route {
    /** Must run on the primary. */
    PRIMARY,
    /** May run on a caught-up replica. */
    REPLICA
}
