package dev.meridian.router.probe;

import dev.meridian.router.config.BackendAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The primary and replicas as the prober sees them, which of them takes writes, and the writer's
 * latest WAL position with the time its sampling query started, which read-your-writes compares
 * against.
 */
public final class BackendCluster {

    /** The primary's WAL insert position, from a query that started at {@code startedNanos}. */
    public record PrimarySample(long lsn, long startedNanos) {
    }

    private final List<BackendNode> nodes;
    private final BackendNode configuredPrimary;
    private volatile BackendNode writer;
    /** The newest timeline a writer of this router was seen on (0 before the first probe). */
    private long newestWrittenTimeline;
    /** Recent samples, oldest first, replaced whole on every new sample (a few per second; readers never lock). */
    private volatile PrimarySample[] recent = new PrimarySample[0];
    /** At the prober's 10 a second and the sampler's 50 a second at most, 20 s or more of history. */
    private static final int KEPT = 1024;

    public BackendCluster(BackendAddress primary, List<BackendAddress> replicas) {
        List<BackendNode> all = new ArrayList<>();
        configuredPrimary = new BackendNode(primary, true);
        all.add(configuredPrimary);
        replicas.forEach(r -> all.add(new BackendNode(r, false)));
        nodes = List.copyOf(all);
        writer = configuredPrimary;
    }

    public List<BackendNode> nodes() {
        return nodes;
    }

    /** Where writes go now: decided by {@link #reconsiderWriter()} whenever the prober learns something. */
    public BackendNode writer() {
        return writer;
    }

    /**
     * Decides again where writes go, after a probe. The newest timeline wins: promotion starts a
     * new timeline, so of two servers that both accept writes (a promoted replica and an old
     * primary that came back, or was never stopped) the promoted one holds the history the
     * cluster goes on with, and every router instance reaches the same answer on its own. Among
     * equals the current writer stays. A writer that is down or has become a standby gives way to
     * the newest writable server that is up; with none it stays (the only primary is never
     * ejected: its clients get its errors, not silence). A server on a timeline older than one
     * this router has already written to never becomes the writer again: its history has forked
     * from the one clients wrote to, and writing there would lose or fork their data.
     *
     * @return whether the writer changed
     */
    public synchronized boolean reconsiderWriter() {
        BackendNode current = writer;
        BackendNode chosen = canWrite(current) ? current : null;
        for (BackendNode node : nodes) {
            if (node != current && canWrite(node) && (chosen == null || node.timeline() > chosen.timeline())) {
                chosen = node;
            }
        }
        if (chosen == null) {
            return false;
        }
        newestWrittenTimeline = Math.max(newestWrittenTimeline, chosen.timeline());
        if (chosen == current) {
            return false;
        }
        writer = chosen;
        // The old writer's WAL positions say nothing about what the new one has: read-your-writes
        // waits for the new writer's own samples.
        recent = new PrimarySample[0];
        return true;
    }

    /**
     * Accepts writes and is up (the configured primary also before its first probe), on a
     * timeline no older than the newest one written to.
     */
    private boolean canWrite(BackendNode node) {
        boolean reachable = node.health() == BackendNode.Health.UP
                || node.health() == BackendNode.Health.UNKNOWN && node.configuredPrimary();
        return reachable && node.acceptsWrites() && node.timeline() >= newestWrittenTimeline;
    }

    /** A server that accepts writes but gets none: another holds a newer timeline, or this one forked from it. */
    public boolean fenced(BackendNode node) {
        return node != writer && node.acceptsWrites() && node.health() == BackendNode.Health.UP;
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
        return firstAbove(recent, PrimarySample::startedNanos, nanos);
    }

    /**
     * When the writer was first seen past {@code lsn}: the start of the earliest sample beyond it
     * (a standby replayed to {@code lsn} is behind by at least the time since), the oldest kept
     * sample's if even that one is beyond it, or {@link Long#MAX_VALUE} when no sample is (nothing
     * the writer is known to have is missing there).
     */
    public long firstSeenBeyond(long lsn) {
        PrimarySample beyond = firstAbove(recent, PrimarySample::lsn, lsn);
        return beyond == null ? Long.MAX_VALUE : beyond.startedNanos();
    }

    /**
     * The earliest of {@code samples} whose {@code key} exceeds {@code bound}, or null. The samples
     * are ordered by start time and, within one writer (whose WAL positions only grow), by position.
     */
    private static PrimarySample firstAbove(PrimarySample[] samples, ToLongFunction<PrimarySample> key, long bound) {
        int low = 0;
        int high = samples.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (key.applyAsLong(samples[middle]) > bound) {
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
        if (samples.length > 0 && sample.lsn() < samples[samples.length - 1].lsn()) {
            // Two queries in flight at once can finish out of order: a later start never shows less
            // than an earlier one did, so the samples stay ordered by position as well as by time.
            sample = new PrimarySample(samples[samples.length - 1].lsn(), sample.startedNanos());
        }
        int keep = Math.min(samples.length, KEPT - 1);
        PrimarySample[] next = new PrimarySample[keep + 1];
        System.arraycopy(samples, samples.length - keep, next, 0, keep);
        next[keep] = sample;
        recent = next;
    }
}
