package dev.meridian.router.probe;

import dev.meridian.platform.breaker.Breaker;
import dev.meridian.platform.breaker.CircuitBreakers;
import dev.meridian.router.config.RouterConfig;
import dev.meridian.router.pool.QueryPools;
import dev.meridian.router.pool.ServerTls;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Probes every backend on a timer through the Reactive PG client: recovery state, timeline, replay
 * position and replay delay, after which the cluster decides again which server takes writes;
 * samples the writer's WAL position more often. A backend is ejected after
 * {@code fall} failed probes in a row and readmitted after {@code rise} good ones; each backend's
 * probes run through its circuit breaker, so a failing backend also opens its breaker.
 */
public final class BackendProber implements AutoCloseable {

    /*
     * The replay delay counts only while the standby has received more than it replayed. Right
     * after a restart its WAL receiver reports the start of the segment it streams from, behind
     * what was already replayed, and on an idle primary nothing newer arrives: the age of the last
     * replayed commit would then keep a caught-up standby "lagging" until the next write.
     */
    private static final String PROBE_SQL = """
            SELECT pg_is_in_recovery(),
                   (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text,
                   (CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() IS NULL
                              OR pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
                         ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END)::float8,
                   CASE WHEN NOT pg_is_in_recovery() THEN substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) END,
                   (SELECT received_tli FROM pg_stat_wal_receiver)::int8""";
    private static final String WAL_POSITION_SQL = "SELECT pg_current_wal_lsn()::text";

    private final Vertx vertx;
    private final BackendCluster cluster;
    private final RouterConfig.Probe settings;
    private final ServerTls tls;
    private final CircuitBreakers breakers;
    private final Map<BackendNode, Pool> pools = new HashMap<>();
    private final Map<BackendNode, int[]> streaks = new HashMap<>();
    private final Map<BackendNode, AtomicBoolean> inFlight = new HashMap<>();
    private final AtomicBoolean sampling = new AtomicBoolean();
    /** Servers reported fenced, so that each is reported once per episode rather than on every probe. */
    private final Set<BackendNode> fencedNodes = ConcurrentHashMap.newKeySet();
    private final LongSupplier latestCommitNanos;
    private volatile long lastSampleStartedNanos = Long.MIN_VALUE;
    private long probeTimer = -1;
    private long sampleTimer = -1;

    /**
     * {@code latestCommitNanos}: when a write last committed through this router; the primary's WAL
     * position is sampled for read-your-writes only while a commit is newer than the last sample.
     */
    public BackendProber(Vertx vertx, BackendCluster cluster, RouterConfig.Probe settings, ServerTls tls, CircuitBreakers breakers,
                         LongSupplier latestCommitNanos) {
        this.tls = tls;
        this.latestCommitNanos = latestCommitNanos;
        this.vertx = vertx;
        this.cluster = cluster;
        this.settings = settings;
        this.breakers = breakers;
    }

    /**
     * Starts probing. The future completes once every backend has been probed (passed or failed),
     * when the cluster knows which server takes writes.
     */
    public Future<Void> start() {
        for (BackendNode node : cluster.nodes()) {
            var address = node.address();
            PgConnectOptions connect = new PgConnectOptions().setHost(address.host()).setPort(address.port())
                    .setDatabase(address.database()).setUser(address.user()).setPassword(address.password())
                    .setConnectTimeout((int) settings.timeout().toMillis())
                    .addProperty("application_name", "meridian-router-prober");
            pools.put(node, QueryPools.create(vertx, tls, connect));
            streaks.put(node, new int[2]);
            inFlight.put(node, new AtomicBoolean());
        }
        List<Future<Void>> firstRound = probeAll();
        probeTimer = vertx.setPeriodic(settings.interval().toMillis(), id -> probeAll());
        sampleTimer = vertx.setPeriodic(Math.max(1, settings.primaryLsnInterval().toMillis()), id -> sampleWriter());
        return Future.join(firstRound).mapEmpty();
    }

    /** Probes every backend not still busy with its previous probe; the probes started. */
    private List<Future<Void>> probeAll() {
        List<Future<Void>> started = new ArrayList<>(cluster.nodes().size());
        for (BackendNode node : cluster.nodes()) {
            AtomicBoolean busy = inFlight.get(node);
            if (busy.compareAndSet(false, true)) {
                started.add(probe(node).onComplete(done -> busy.set(false)));
            }
        }
        return started;
    }

    private Future<Void> probe(BackendNode node) {
        Breaker breaker = breakers.breaker(breakerName(node));
        long started = System.nanoTime();
        Uni<RowSet<Row>> query = breaker.call(() -> Uni.createFrom().completionStage(
                withTimeout(pools.get(node).query(PROBE_SQL).execute(), settings.timeout()).toCompletionStage()));
        Promise<Void> done = Promise.promise();
        query.subscribe().with(rows -> {
            Row row = rows.iterator().next();
            boolean recovering = row.getBoolean(0);
            long lsn = Lsn.parse(row.getString(1));
            double lagSeconds = row.getDouble(2);
            // A writer's timeline: the first 8 hex digits of a WAL file name. A standby's: the one it
            // streams, when its WAL receiver runs and the role may see it (pg_read_all_stats), else 0.
            Long streamed = row.getLong(4);
            long timeline = recovering ? (streamed == null ? 0 : streamed) : Long.parseLong(row.getString(3), 16);
            BackendCluster.PrimarySample primary = cluster.primarySample();
            long lagBytes = !recovering || primary == null ? 0 : Math.max(0, primary.lsn() - lsn);
            if (recovering) {
                lagSeconds = Math.max(lagSeconds, secondsBehind(lsn, started));
            }
            node.observed(recovering, timeline, lsn, lagBytes, lagSeconds, started);
            passed(node);
            reconsiderWriter();
            if (!recovering && node == cluster.writer()) {
                cluster.primarySampled(new BackendCluster.PrimarySample(lsn, started));
            }
            if (!cluster.fenced(node)) {
                fencedNodes.remove(node);
            } else if (fencedNodes.add(node)) {
                Log.errorf("backend=%s state=fenced timeline=%d: accepts writes but gets no traffic; writes go to %s (timeline %d)",
                        node.name(), timeline, cluster.writer().name(), cluster.writer().timeline());
            }
            done.complete();
        }, failure -> {
            node.failed(failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
            failed(node);
            reconsiderWriter();
            done.complete();
        });
        return done.future();
    }

    /**
     * How long ago the writer was first seen past what a standby has replayed. The standby's own
     * replay delay only counts while it has received more than it replayed: one whose WAL receiver
     * lost its upstream has replayed all it received and reports no delay at all, however long
     * the writer has gone on without it.
     */
    private double secondsBehind(long replayedLsn, long probedNanos) {
        long seen = cluster.firstSeenBeyond(replayedLsn);
        return seen == Long.MAX_VALUE || seen >= probedNanos ? 0 : (probedNanos - seen) / 1e9;
    }

    /** The circuit breaker the prober drives for a backend; routing and status read the same one. */
    public static String breakerName(BackendNode node) {
        return "router-" + node.name();
    }

    private void sampleWriter() {
        if (latestCommitNanos.getAsLong() < lastSampleStartedNanos) {
            // Nothing committed since the last sample: no read waits for a newer one.
            return;
        }
        BackendNode writer = cluster.writer();
        if (!sampling.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        withTimeout(pools.get(writer).query(WAL_POSITION_SQL).execute(), settings.timeout()).onComplete(result -> {
            sampling.set(false);
            if (result.succeeded() && writer.acceptsWrites() && writer == cluster.writer()) {
                lastSampleStartedNanos = started;
                cluster.primarySampled(new BackendCluster.PrimarySample(Lsn.parse(result.result().iterator().next().getString(0)), started));
            }
        });
    }

    private void reconsiderWriter() {
        if (cluster.reconsiderWriter()) {
            BackendNode writer = cluster.writer();
            Log.warnf("backend=%s writer=true timeline=%d: writes go here now", writer.name(), writer.timeline());
        }
    }

    private void passed(BackendNode node) {
        int[] streak = streaks.get(node);
        streak[1] = 0;
        streak[0]++;
        if (node.health() != BackendNode.Health.UP && (node.health() == BackendNode.Health.UNKNOWN || streak[0] >= settings.rise())) {
            Log.infof("backend=%s state=up", node.name());
            node.health(BackendNode.Health.UP);
        }
    }

    private void failed(BackendNode node) {
        int[] streak = streaks.get(node);
        streak[0] = 0;
        streak[1]++;
        if (node.health() != BackendNode.Health.DOWN && streak[1] >= settings.fall()) {
            Log.warnf("backend=%s state=down error=%s", node.name(), node.lastError());
            node.health(BackendNode.Health.DOWN);
        }
    }

    private <T> Future<T> withTimeout(Future<T> future, Duration timeout) {
        Promise<T> promise = Promise.promise();
        long timer = vertx.setTimer(timeout.toMillis(), id -> promise.tryFail(new TimeoutException("probe timed out after " + timeout.toMillis() + " ms")));
        future.onComplete(result -> {
            vertx.cancelTimer(timer);
            if (result.succeeded()) {
                promise.tryComplete(result.result());
            } else {
                promise.tryFail(result.cause());
            }
        });
        return promise.future();
    }

    @Override
    public void close() {
        vertx.cancelTimer(probeTimer);
        vertx.cancelTimer(sampleTimer);
        pools.values().forEach(Pool::close);
    }
}
