package dev.meridian.glb.config;

import java.util.Arrays;
import java.util.Optional;

/** How a global name picks among the healthy regions. */
public enum Policy {
    /** The healthy region nearest the client (great-circle distance minus the region's bias). */
    GEOPROXIMITY("geoproximity"),
    /** The healthy region with the lowest priority number. */
    FAILOVER("failover"),
    /** A healthy region at random, in proportion to weight. */
    WEIGHTED("weighted"),
    /** The healthy regions in turn. */
    ROUND_ROBIN("round_robin"),
    /** The healthy region whose health checks answer this instance fastest (probe RTT). */
    LATENCY("latency");

    private final String yamlName;

    Policy(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public static Optional<Policy> parse(String raw) {
        return Arrays.stream(values()).filter(p -> p.yamlName.equals(raw)).findFirst();
    }
}
