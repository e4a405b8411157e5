package dev.meridian.router.admin;

import dev.meridian.platform.breaker.CircuitBreakers;
import dev.meridian.platform.flags.Flag;
import dev.meridian.router.pool.PoolGauges;
import dev.meridian.router.probe.BackendNode;
import dev.meridian.router.probe.Lsn;
import dev.meridian.router.proxy.RouterRuntime;
import dev.meridian.router.routing.RefusedReads;
import dev.meridian.router.routing.TargetSelector;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/** One consistent picture of the router for JSON and gRPC: backends, lag, routing totals, pools. */
@ApplicationScoped
public class RoutingStatus {

    public record Pool(int inUse, int idle, int waiting) {
    }

    public record Backend(String name, String role, String state, long timeline, String address, long lagBytes, double lagSeconds,
                          String replayLsn, long statementsRouted, long readsRouted, long errors, int outstanding,
                          String circuitBreaker, String lastError, Pool pool) {
    }

    /**
     * @param refusedStatements statement shapes a standby refused, with why ({@code writes: select add_row ( ? )}),
     *                          which now go to the primary (the first 100)
     * @param refusedRoles      database/user whose reads are on the primary for now: standbys refused their serializable snapshots
     */
    public record Snapshot(String status, boolean replicaRoutingEnabled, String consistency, String poolMode, int clients,
                           long reads, double primaryReadShare, List<Backend> backends, int refusedStatementCount,
                           List<String> refusedStatements, List<String> refusedRoles) {
    }

    @Inject
    RouterRuntime runtime;

    @Inject
    CircuitBreakers breakers;

    public Snapshot snapshot() {
        BackendNode writer = runtime.selector().writer();
        List<Backend> backends = new ArrayList<>();
        long reads = 0;
        long primaryReads = 0;
        for (BackendNode node : runtime.cluster().nodes()) {
            reads += node.readsRouted();
            if (node == writer) {
                primaryReads += node.readsRouted();
            }
            PoolGauges gauges = runtime.metrics().pool(node.name());
            backends.add(new Backend(node.name(), node.acceptsWrites() ? "primary" : "replica", state(node, writer),
                    node.timeline(), node.address().hostPort(), node.lagBytes(), node.lagSeconds(), Lsn.format(node.replayLsn()),
                    node.statementsRouted(), node.readsRouted(), node.errors(), node.outstanding().get(),
                    breakers.breaker(dev.meridian.router.probe.BackendProber.breakerName(node)).state().name().toLowerCase(), node.lastError(),
                    new Pool(gauges.inUse.get(), gauges.idle.get(), gauges.waiting.get())));
        }
        // Draining: seen in process only (gRPC status, tests); the HTTP server stops with Quarkus's shutdown.
        RefusedReads refused = runtime.classifier().refusedReads();
        String status = runtime.draining() ? "DRAINING" : writer.health() == BackendNode.Health.DOWN ? "DOWN" : "UP";
        return new Snapshot(status, runtime.flags().isEnabled(Flag.REPLICA_ROUTING), runtime.selector().consistency().key(),
                runtime.config().pool().mode(), runtime.clients().get(), reads, reads == 0 ? 0 : (double) primaryReads / reads, backends,
                refused.statementCount(), refused.statements(100), refused.roles(System.nanoTime()));
    }

    private String state(BackendNode node, BackendNode writer) {
        return switch (node.health()) {
            case DOWN -> "down";
            case UNKNOWN -> "unknown";
            case UP -> node == writer || runtime.selector().eligible(node, writer, 0) ? "up"
                    : runtime.cluster().fenced(node) ? "fenced"
                    : TargetSelector.otherTimeline(node, writer) ? "other-timeline" : "lagging";
        };
    }
}
