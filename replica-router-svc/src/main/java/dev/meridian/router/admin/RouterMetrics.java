package dev.meridian.router.admin;

import dev.meridian.platform.metrics.MeterNames;
import dev.meridian.router.pool.PoolGauges;
import dev.meridian.router.probe.BackendCluster;
import dev.meridian.router.probe.BackendNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** The router's Prometheus meters: statements by target role, latency, pools, lag, clients. */
public final class RouterMetrics {

    private static final String SVC = "router";

    private final MeterRegistry registry;
    private final Counter primaryReads;
    private final Counter primaryWrites;
    private final Counter replicaReads;
    private final Counter replicaWrites;
    private final Timer primaryLatency;
    private final Timer replicaLatency;
    private final Map<String, PoolGauges> pools = new ConcurrentHashMap<>();
    private final Counter protocolErrors;
    private final Counter authFailures;
    private final Counter retries;

    public RouterMetrics(MeterRegistry registry, BackendCluster cluster, IntSupplier clients) {
        this.registry = registry;
        Gauge.builder(MeterNames.of(SVC, "clients"), clients::getAsInt).description("Client connections").register(registry);
        for (BackendNode node : cluster.nodes()) {
            String name = node.name();
            Gauge.builder(MeterNames.of(SVC, "backend.lag.bytes"), node, BackendNode::lagBytes)
                    .description("WAL bytes the replica is behind the primary").tag("backend", name).register(registry);
            Gauge.builder(MeterNames.of(SVC, "backend.lag.seconds"), node, BackendNode::lagSeconds)
                    .description("Replay delay of the replica").tag("backend", name).register(registry);
            Gauge.builder(MeterNames.of(SVC, "backend.up"), node, n -> n.health() == BackendNode.Health.UP ? 1 : 0)
                    .description("1 while the prober finds the backend healthy").tag("backend", name).register(registry);
            Gauge.builder(MeterNames.of(SVC, "backend.writer"), node, n -> cluster.writer() == n ? 1 : 0)
                    .description("1 for the backend that takes writes").tag("backend", name).register(registry);
            Gauge.builder(MeterNames.of(SVC, "backend.fenced"), node, n -> cluster.fenced(n) ? 1 : 0)
                    .description("1 while the backend accepts writes but gets no traffic (another is on a newer timeline)")
                    .tag("backend", name).register(registry);
            PoolGauges gauges = new PoolGauges();
            pools.put(name, gauges);
            Gauge.builder(MeterNames.of(SVC, "pool.in_use"), gauges.inUse, java.util.concurrent.atomic.AtomicInteger::get)
                    .description("Server connections lent to clients").tag("backend", name).register(registry);
            Gauge.builder(MeterNames.of(SVC, "pool.idle"), gauges.idle, java.util.concurrent.atomic.AtomicInteger::get)
                    .description("Idle server connections").tag("backend", name).register(registry);
            Gauge.builder(MeterNames.of(SVC, "pool.waiting"), gauges.waiting, java.util.concurrent.atomic.AtomicInteger::get)
                    .description("Clients waiting for a server connection").tag("backend", name).register(registry);
        }
        primaryLatency = latency(registry, "primary");
        replicaLatency = latency(registry, "replica");
        primaryReads = statements("primary", "read");
        primaryWrites = statements("primary", "write");
        replicaReads = statements("replica", "read");
        replicaWrites = statements("replica", "write");
        protocolErrors = Counter.builder(MeterNames.of(SVC, "protocol_errors")).description("Client connections closed for protocol violations").register(registry);
        authFailures = Counter.builder(MeterNames.of(SVC, "auth_failures")).description("Failed client authentications").register(registry);
        retries = Counter.builder(MeterNames.of(SVC, "read_retries")).description("Reads retried on another backend after a failure before any reply").register(registry);
    }

    public PoolGauges pool(BackendNode node) {
        return pools.computeIfAbsent(node.name(), n -> new PoolGauges());
    }

    public PoolGauges pool(String backend) {
        return pools.get(backend);
    }

    /** One statement (a simple query or an extended-protocol batch) sent to a backend of {@code role}. */
    public void routed(boolean toPrimary, boolean read) {
        (toPrimary ? (read ? primaryReads : primaryWrites) : (read ? replicaReads : replicaWrites)).increment();
    }

    private Counter statements(String role, String kind) {
        return Counter.builder(MeterNames.of(SVC, "statements")).description("Statements routed, by target role and kind")
                .tags("role", role, "kind", kind).register(registry);
    }

    public void latency(boolean toPrimary, long nanos) {
        (toPrimary ? primaryLatency : replicaLatency).record(nanos, TimeUnit.NANOSECONDS);
    }

    private static Timer latency(MeterRegistry registry, String role) {
        return Timer.builder(MeterNames.of(SVC, "statement.duration"))
                .description("From sending a statement to the backend to its ReadyForQuery")
                .tag("role", role).publishPercentileHistogram().register(registry);
    }

    public void protocolError() {
        protocolErrors.increment();
    }

    public void authFailure() {
        authFailures.increment();
    }

    /** A read a standby refused ran again on the primary ({@code reason}: a {@link dev.meridian.router.routing.RefusedReads.Refusal} key). */
    public void rerouted(String reason) {
        Counter.builder(MeterNames.of(SVC, "refused_reads")).description("Reads a standby refused that ran again on the primary, by why")
                .tag("reason", reason).register(registry).increment();
    }

    public void retried() {
        retries.increment();
    }
}
