package dev.meridian.router.probe;

import dev.meridian.router.config.BackendAddress;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One PostgreSQL server behind the router and what the prober last saw of it. Written by the
 * prober, read by every event loop: the fields are volatile and each is meaningful alone.
 */
public final class BackendNode {

    /** What the prober concluded. */
    public enum Health { UNKNOWN, UP, DOWN }

    private final BackendAddress address;
    private final boolean configuredPrimary;
    private volatile Health health = Health.UNKNOWN;
    private volatile boolean inRecovery;
    /** The WAL timeline it writes on, or as a standby streams; 0 while unknown. */
    private volatile long timeline;
    private volatile long replayLsn;
    private volatile long lagBytes;
    private volatile double lagSeconds;
    private volatile long probedAtNanos;
    private volatile String lastError;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final LongAdder statements = new LongAdder();
    private final LongAdder reads = new LongAdder();
    private final LongAdder errors = new LongAdder();

    public BackendNode(BackendAddress address, boolean configuredPrimary) {
        this.address = address;
        this.configuredPrimary = configuredPrimary;
        this.inRecovery = !configuredPrimary;
    }

    public BackendAddress address() {
        return address;
    }

    public String name() {
        return address.name();
    }

    public boolean configuredPrimary() {
        return configuredPrimary;
    }

    public Health health() {
        return health;
    }

    /** Not in recovery as last probed: it accepts writes. */
    public boolean acceptsWrites() {
        return !inRecovery;
    }

    /**
     * As last probed: the timeline it writes on, or for a standby the one its WAL receiver streams;
     * 0 while unknown (a standby whose receiver is not running, or a role without pg_read_all_stats).
     * A promotion starts a new timeline, so of two servers that accept writes the higher one was
     * promoted later, and a standby on another timeline than the writer's follows another history.
     */
    public long timeline() {
        return timeline;
    }

    public long replayLsn() {
        return replayLsn;
    }

    public long lagBytes() {
        return lagBytes;
    }

    public double lagSeconds() {
        return lagSeconds;
    }

    public long probedAtNanos() {
        return probedAtNanos;
    }

    public String lastError() {
        return lastError;
    }

    void observed(boolean recovering, long timeline, long lsn, long lagBytes, double lagSeconds, long atNanos) {
        this.inRecovery = recovering;
        this.timeline = timeline;
        this.replayLsn = lsn;
        this.lagBytes = lagBytes;
        this.lagSeconds = lagSeconds;
        this.probedAtNanos = atNanos;
        this.lastError = null;
    }

    void health(Health health) {
        this.health = health;
    }

    void failed(String error) {
        this.lastError = error;
    }

    /** Queries running on this backend through the router now (the balancer's load measure). */
    public AtomicInteger outstanding() {
        return outstanding;
    }

    public void routed(boolean read) {
        statements.increment();
        if (read) {
            reads.increment();
        }
    }

    public void errored() {
        errors.increment();
    }

    public long statementsRouted() {
        return statements.sum();
    }

    public long readsRouted() {
        return reads.sum();
    }

    public long errors() {
        return errors.sum();
    }
}
