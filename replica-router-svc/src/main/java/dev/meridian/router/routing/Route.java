package dev.meridian.router.routing;

/** Where a statement may run. */
public enum Route {
    /** Must run on the primary. */
    PRIMARY,
    /**
     * Must be answered by the primary but writes nothing, so read-your-writes has nothing to wait
     * for after it (what a client asks to learn whether its server takes writes).
     */
    PRIMARY_READ,
    /** May run on a caught-up replica. */
    REPLICA
}
