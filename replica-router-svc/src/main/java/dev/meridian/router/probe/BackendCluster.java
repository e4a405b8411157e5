package dev.meridian.router.probe;

import dev.meridian.router.config.BackendAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * The primary and replicas as the prober sees them, and the primary's latest WAL position with
 * the time its sampling query started, which read-your-writes compares against.
 */
public final class BackendCluster {

    /** The primary's WAL insert position, from a query that started at {@code startedNanos}. */
    public record PrimarySample(long lsn, long startedNanos) {
    }

    private final List<BackendNode> nodes;
    private final BackendNode configuredPrimary;
    private volatile PrimarySample primarySample;

    public BackendCluster(BackendAddress primary, List<BackendAddress> replicas) {
        List<BackendNode> all = new ArrayList<>();
        configuredPrimary = new BackendNode(primary, true);
        all.add(configuredPrimary);
        replicas.forEach(r -> all.add(new BackendNode(r, false)));
        nodes = List.copyOf(all);
    }

    public List<BackendNode> nodes() {
        return nodes;
    }

    /**
     * Where writes go: the configured primary while it accepts writes or cannot be probed (the only
     * primary is never ejected); a replica the prober found promoted when the configured primary is
     * down or has itself become a standby.
     */
    public BackendNode writer() {
        boolean primaryUsable = configuredPrimary.acceptsWrites() && configuredPrimary.health() != BackendNode.Health.DOWN;
        if (primaryUsable) {
            return configuredPrimary;
        }
        for (BackendNode node : nodes) {
            if (!node.configuredPrimary() && node.acceptsWrites() && node.health() == BackendNode.Health.UP) {
                return node;
            }
        }
        return configuredPrimary;
    }

    public PrimarySample primarySample() {
        return primarySample;
    }

    void primarySampled(PrimarySample sample) {
        PrimarySample current = primarySample;
        if (current == null || sample.startedNanos() > current.startedNanos()) {
            primarySample = sample;
        }
    }
}
