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
    /** Recent samples, oldest first, replaced whole on every new sample (a few per second; readers never lock). */
    private volatile PrimarySample[] recent = new PrimarySample[0];
    private static final int KEPT = 256;

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

    /** The newest sample, or null before the first. */
    public PrimarySample primarySample() {
        PrimarySample[] samples = recent;
        return samples.length == 0 ? null : samples[samples.length - 1];
    }

    /**
     * The earliest sample whose query started after {@code nanos}: the smallest WAL position that
     * surely covers everything committed before then. Later samples would ask replicas for more
     * than needed and, under steady writes, for more than they ever show. Null if none yet.
     */
    public PrimarySample firstSampleAfter(long nanos) {
        PrimarySample[] samples = recent;
        int low = 0;
        int high = samples.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (samples[middle].startedNanos() > nanos) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low < samples.length ? samples[low] : null;
    }

    synchronized void primarySampled(PrimarySample sample) {
        PrimarySample[] samples = recent;
        if (samples.length > 0 && sample.startedNanos() <= samples[samples.length - 1].startedNanos()) {
            return;
        }
        int keep = Math.min(samples.length, KEPT - 1);
        PrimarySample[] next = new PrimarySample[keep + 1];
        System.arraycopy(samples, samples.length - keep, next, 0, keep);
        next[keep] = sample;
        recent = next;
    }
}
