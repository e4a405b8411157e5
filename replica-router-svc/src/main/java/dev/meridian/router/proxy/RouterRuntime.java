package dev.meridian.router.proxy;

import dev.meridian.platform.breaker.Breaker;
import dev.meridian.platform.breaker.CircuitBreakers;
import dev.meridian.platform.flags.Flag;
import dev.meridian.platform.flags.RuntimeFlags;
import dev.meridian.router.admin.RouterMetrics;
import dev.meridian.router.auth.CredentialSource;
import dev.meridian.router.auth.Userlist;
import dev.meridian.router.auth.UserlistFile;
import dev.meridian.router.config.BackendAddress;
import dev.meridian.router.config.RouterConfig;
import dev.meridian.router.pool.QueryPools;
import dev.meridian.router.pool.ServerTls;
import dev.meridian.router.wire.HeldBytes;
import dev.meridian.router.probe.BackendCluster;
import dev.meridian.router.probe.BackendNode;
import dev.meridian.router.probe.BackendProber;
import dev.meridian.router.routing.Consistency;
import dev.meridian.router.routing.RefusedReads;
import dev.meridian.router.routing.StatementClassifier;
import dev.meridian.router.routing.TargetSelector;
import dev.meridian.router.routing.WriteLedger;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wires the router together at startup: backends and prober, routing, credentials, meters, and
 * one wire listener per event loop.
 */
@ApplicationScoped
public class RouterRuntime {

    @Inject
    Vertx vertx;

    @Inject
    RouterConfig config;

    @Inject
    RuntimeFlags flags;

    @Inject
    CircuitBreakers breakers;

    @Inject
    MeterRegistry registry;

    private BackendCluster cluster;
    private TargetSelector selector;
    private StatementClassifier classifier;
    private CredentialSource credentials;
    private RouterMetrics metrics;
    private BackendProber prober;
    private ServerTls serverTls;
    private HeldBytes heldBytes;
    private Set<String> ignoredStartupParameters;
    /** The auth query's pools, one per backend that has been the writer. */
    private final Map<BackendNode, Pool> authPools = new ConcurrentHashMap<>();
    private final CancelRegistry cancels = new CancelRegistry();
    private final AtomicInteger clients = new AtomicInteger();
    private final List<String> deployments = new ArrayList<>();
    private final List<RouterListener> listeners = new ArrayList<>();
    private volatile boolean draining;
    private long userlistTimer = -1;
    private int loops;

    void onStart(@Observes StartupEvent event) throws Exception {
        BackendAddress primary = BackendAddress.parse("primary", config.primaryUrl());
        List<BackendAddress> replicas = new ArrayList<>();
        List<String> urls = config.replicaUrls().stream().filter(u -> !u.isBlank()).toList();
        for (int i = 0; i < urls.size(); i++) {
            replicas.add(BackendAddress.parse("replica-" + (i + 1), urls.get(i)));
        }
        serverTls = ServerTls.parse(config.pool().serverTls(), config.pool().serverTlsCa());
        long heldLimit = config.listen().maxHeldBytes();
        heldBytes = new HeldBytes(heldLimit > 0 ? heldLimit : Runtime.getRuntime().maxMemory() / 4);
        cluster = new BackendCluster(primary, replicas);
        ignoredStartupParameters = config.listen().ignoreStartupParameters().orElse(List.of()).stream()
                .map(name -> name.trim().toLowerCase(java.util.Locale.ROOT)).filter(name -> !name.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        classifier = new StatementClassifier(config.routing().writingFunctions()
                .map(list -> (java.util.Set<String>) new HashSet<>(list)).orElse(StatementClassifier.DEFAULT_WRITING_FUNCTIONS),
                new RefusedReads());
        WriteLedger writes = new WriteLedger();
        // Each node's breaker looked up once: the selector asks for every read.
        Map<BackendNode, Breaker> nodeBreakers = new IdentityHashMap<>();
        cluster.nodes().forEach(node -> nodeBreakers.put(node, breakers.breaker(BackendProber.breakerName(node))));
        selector = new TargetSelector(cluster, Consistency.parse(config.routing().consistency()), config.routing().maxLagBytes(),
                config.routing().maxLag(), config.routing().primaryReadWeight(), () -> flags.isEnabled(Flag.REPLICA_ROUTING),
                node -> nodeBreakers.get(node).state() == CircuitBreakerState.OPEN, writes);
        if (config.auth().query().isPresent()) {
            // Built now, so that a missing auth role stops the start rather than the first login.
            authPools.put(cluster.writer(), authPool(cluster.writer()));
        }
        UserlistFile userlistFile = userlistFile();
        Userlist noUserlist = Userlist.empty();
        credentials = new CredentialSource(userlistFile != null ? userlistFile::current : () -> noUserlist, config.auth().query().isEmpty() ? null
                : () -> authPools.computeIfAbsent(cluster.writer(), this::authPool), config.auth().query().orElse(null));
        metrics = new RouterMetrics(registry, cluster, clients::get);
        prober = new BackendProber(vertx, cluster, config.probe(), serverTls, breakers, writes::latestCommitNanos);
        try {
            // Clients wait for the first verdict on every backend: which one takes writes may not be the configured primary.
            prober.start().toCompletionStage().toCompletableFuture().get(config.probe().timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            Log.warnf("the first probe of every backend took longer than %d ms; listening anyway", config.probe().timeout().toMillis() + 5_000);
        }
        int configured = config.listen().eventLoops();
        loops = configured > 0 ? configured : Math.max(1, Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < loops; i++) {
            RouterListener listener = new RouterListener(this);
            String id = vertx.deployVerticle(listener, new DeploymentOptions())
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            deployments.add(id);
            listeners.add(listener);
        }
        Log.infof("replica-router listening port=%d backends=%d consistency=%s pool_mode=%s loops=%d",
                config.listen().port(), cluster.nodes().size(), selector.consistency().key(), config.pool().mode(), loops);
    }

    void onStop(@Observes ShutdownEvent event) {
        drain(config.listen().shutdownTimeout());
        vertx.cancelTimer(userlistTimer);
        List<Future<Void>> undeployed = deployments.stream().map(vertx::undeploy).toList();
        try {
            Future.join(undeployed).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.warnf("replica-router shutting down: listeners did not stop within 5 s: %s", e.toString());
        }
        if (prober != null) {
            prober.close();
        }
        authPools.values().forEach(Pool::close);
    }

    /**
     * Stops taking clients (57P03) and lets those connected finish their transactions, each let
     * go (57P01) as its transaction ends, for at most {@code timeout}; then ends whoever is left.
     * A rolling restart of the router then costs its clients a reconnect, not their transactions.
     */
    void drain(Duration timeout) {
        draining = true;
        long started = System.nanoTime();
        Log.infof("replica-router shutting down: clients=%d may finish their transactions within %d ms", clients.get(), timeout.toMillis());
        listeners.forEach(RouterListener::endSessionsBetweenTransactions);
        try {
            while (clients.get() > 0 && System.nanoTime() - started < timeout.toNanos()) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = clients.get();
        if (left > 0) {
            Log.warnf("replica-router shutting down: clients=%d still in a transaction after %d ms; closing them", left, timeout.toMillis());
        }
        List<Future<Void>> ended = listeners.stream().map(RouterListener::endAllSessions).toList();
        try {
            Future.join(ended).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            Log.warnf("replica-router shutting down: event loops did not confirm the end of their sessions: %s", e.toString());
        }
        Log.infof("replica-router drained in %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** True from the start of shutdown: no new clients, each connected one let go at its next transaction boundary. */
    public boolean draining() {
        return draining;
    }

    /** The configured userlist, checked for changes every userlist-reload-interval; null without one. */
    private UserlistFile userlistFile() {
        if (config.auth().userlist().isEmpty()) {
            return null;
        }
        Path path = config.auth().userlist().get();
        UserlistFile file;
        try {
            file = UserlistFile.load(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read userlist " + path, e);
        }
        Log.infof("userlist=%s users=%d", path, file.current().size());
        long every = config.auth().userlistReloadInterval().toMillis();
        if (every > 0) {
            // Off the event loops: reading a file blocks.
            userlistTimer = vertx.setPeriodic(every, id -> vertx.executeBlocking(file::refresh, false));
        }
        return file;
    }

    private Pool authPool(BackendNode writer) {
        String[] role = config.auth().authUser().orElseThrow(() ->
                new IllegalArgumentException("meridian.router.auth.query needs meridian.router.auth.auth-user (user:password)")).split(":", 2);
        BackendAddress address = writer.address();
        PgConnectOptions connect = new PgConnectOptions().setHost(address.host()).setPort(address.port())
                .setDatabase(address.database()).setUser(role[0]).setPassword(role.length > 1 ? role[1] : null);
        return QueryPools.create(vertx, serverTls, connect.setConnectTimeout((int) config.pool().connectTimeout().toMillis()));
    }

    public BackendCluster cluster() {
        return cluster;
    }

    public TargetSelector selector() {
        return selector;
    }

    public StatementClassifier classifier() {
        return classifier;
    }

    public CredentialSource credentials() {
        return credentials;
    }

    public RouterMetrics metrics() {
        return metrics;
    }

    /** The limit on bytes of incomplete messages, shared by every client and server connection. */
    public HeldBytes heldBytes() {
        return heldBytes;
    }

    /** Startup parameters accepted and not applied (lower case), {@code meridian.router.listen.ignore-startup-parameters}. */
    Set<String> ignoredStartupParameters() {
        return ignoredStartupParameters;
    }

    /** TLS to backends, for server connections, prober and auth query alike. */
    public ServerTls serverTls() {
        return serverTls;
    }

    public RouterConfig config() {
        return config;
    }

    public RuntimeFlags flags() {
        return flags;
    }

    CancelRegistry cancels() {
        return cancels;
    }

    public AtomicInteger clients() {
        return clients;
    }

    int loops() {
        return loops;
    }

    Vertx vertx() {
        return vertx;
    }
}
