package dev.meridian.platform.flags;

import java.util.Arrays;
import java.util.Optional;

/** The runtime flags of DESIGN.md: each one a switch that rolls one feature back with no restart. */
public enum Flag {
    /** Off: every statement goes to the primary. */
    REPLICA_ROUTING("replica-routing"),
    /** Off: breakers never open. */
    CIRCUIT_BREAKER("circuit-breaker"),
    /** Off: every decision is OK (still counted in metrics). */
    RATE_LIMITING("rate-limiting"),
    /** Off: cache-svc is a plain reverse proxy. */
    EDGE_CACHE("edge-cache"),
    /** Off: one node serves alone; no cross-node fan-out. */
    WEBSOCKET_CLUSTER("websocket-cluster"),
    /** Off: DNS answers the primary region only. */
    GLOBAL_LB("global-lb");

    private final String key;

    Flag(String key) {
        this.key = key;
    }

    /** The name used in Redis, in the CLI and in JSON, e.g. {@code edge-cache}. */
    public String key() {
        return key;
    }

    /** The environment variable that gives the value at start, e.g. {@code ENABLE_EDGE_CACHE}. */
    public String envVar() {
        return "ENABLE_" + name();
    }

    public static Optional<Flag> byKey(String key) {
        return Arrays.stream(values()).filter(f -> f.key.equals(key)).findFirst();
    }
}
