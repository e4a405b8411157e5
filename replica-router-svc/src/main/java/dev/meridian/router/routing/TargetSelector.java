package dev.meridian.router.routing;

import dev.meridian.router.probe.BackendCluster;
import dev.meridian.router.probe.BackendNode;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Picks the backend for a statement. Writes go to the writer. Reads go to the eligible backend
 * with the fewest queries outstanding per unit of weight: replicas that are up, within both lag
 * bounds, whose breaker is not open, and that have replayed what read-your-writes requires; the
 * primary only when it has a read weight, or when nothing else is eligible.
 */
public final class TargetSelector {

    private final BackendCluster cluster;
    private final Consistency consistency;
    private final long maxLagBytes;
    private final double maxLagSeconds;
    private final int primaryReadWeight;
    private final BooleanSupplier routingEnabled;
    private final Predicate<BackendNode> breakerOpen;
    private final WriteLedger writes;

    public TargetSelector(BackendCluster cluster, Consistency consistency, long maxLagBytes, Duration maxLag,
                          int primaryReadWeight, BooleanSupplier routingEnabled, Predicate<BackendNode> breakerOpen,
                          WriteLedger writes) {
        this.cluster = cluster;
        this.consistency = consistency;
        this.maxLagBytes = maxLagBytes;
        this.maxLagSeconds = maxLag.toNanos() / 1e9;
        this.primaryReadWeight = primaryReadWeight;
        this.routingEnabled = routingEnabled;
        this.breakerOpen = breakerOpen;
        this.writes = writes;
    }

    public WriteLedger writes() {
        return writes;
    }

    public Consistency consistency() {
        return consistency;
    }

    public BackendNode writer() {
        return cluster.writer();
    }

    /**
     * The backend for a read by {@code scope}, avoiding {@code exclude} (backends that already
     * failed this read).
     */
    public BackendNode forRead(String scope, Set<BackendNode> exclude) {
        BackendNode writer = cluster.writer();
        if (consistency == Consistency.PRIMARY || !routingEnabled.getAsBoolean()) {
            return writer;
        }
        long requiredLsn = 0;
        if (consistency == Consistency.READ_YOUR_WRITES) {
            long wroteAt = writes.lastCommitNanos(scope);
            if (wroteAt != 0) {
                BackendCluster.PrimarySample sample = cluster.firstSampleAfter(wroteAt);
                if (sample == null) {
                    // No WAL position known from after the commit yet: only the primary surely has it.
                    return writer;
                }
                requiredLsn = sample.lsn();
            }
        }
        BackendNode best = null;
        double bestScore = Double.MAX_VALUE;
        var nodes = cluster.nodes();
        int start = ThreadLocalRandom.current().nextInt(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            BackendNode node = nodes.get((start + i) % nodes.size());
            int weight = node == writer ? primaryReadWeight : node.address().weight();
            if (weight <= 0 || exclude.contains(node) || !eligible(node, writer, requiredLsn)) {
                continue;
            }
            double score = (node.outstanding().get() + 1.0) / weight;
            if (score < bestScore) {
                best = node;
                bestScore = score;
            }
        }
        return best != null ? best : writer;
    }

    /** Up, not in an open breaker, within both lag bounds and past {@code requiredLsn}. */
    public boolean eligible(BackendNode node, BackendNode writer, long requiredLsn) {
        if (node.health() != BackendNode.Health.UP || breakerOpen.test(node)) {
            return false;
        }
        if (node == writer) {
            return true;
        }
        if (node.acceptsWrites()) {
            // A second writable node (a promoted replica next to a live old primary) is not a replica of the writer.
            return false;
        }
        return !otherTimeline(node, writer) && node.lagBytes() <= maxLagBytes && node.lagSeconds() <= maxLagSeconds
                && node.replayLsn() >= requiredLsn;
    }

    /**
     * A standby known to stream another timeline than the writer's: after a failover, one still
     * following the old primary. Its WAL positions may even be past the writer's, from a history
     * the writer never had, so lag says nothing about it; it gets no reads.
     */
    public static boolean otherTimeline(BackendNode standby, BackendNode writer) {
        return standby.timeline() != 0 && writer.timeline() != 0 && standby.timeline() != writer.timeline();
    }
}
