package dev.meridian.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.platform.breaker.CircuitBreakers;
import dev.meridian.platform.flags.Flag;
import dev.meridian.platform.flags.FlagChanged;
import dev.meridian.platform.flags.RuntimeFlags;
import dev.meridian.ws.admin.WsMetrics;
import dev.meridian.ws.auth.TokenVerifier;
import dev.meridian.ws.broker.Broker;
import dev.meridian.ws.broker.ChannelKeys;
import dev.meridian.ws.broker.MemoryBroker;
import dev.meridian.ws.broker.RedisBroker;
import dev.meridian.ws.cluster.Membership;
import dev.meridian.ws.cluster.NodeRecord;
import dev.meridian.ws.cluster.Shedder;
import dev.meridian.ws.config.Namespaces;
import dev.meridian.ws.config.WsConfig;
import dev.meridian.ws.hub.Hubs;
import dev.meridian.ws.protocol.CommandParser;
import dev.meridian.ws.protocol.Replies;
import dev.meridian.ws.session.ClientSession;
import dev.meridian.ws.session.Gateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Wires a node at startup: brokers, hubs, the WebSocket endpoint {@code /connection/websocket},
 * membership heartbeat with rebalancing, and the {@code websocket-cluster} flag.
 */
@ApplicationScoped
public class WsRuntime {

    public static final String ENDPOINT = "/connection/websocket";

    @Inject
    Vertx vertx;

    @Inject
    WsConfig config;

    @Inject
    RuntimeFlags flags;

    @Inject
    CircuitBreakers breakers;

    @Inject
    MeterRegistry registry;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @ConfigProperty(name = "quarkus.http.port")
    int httpPort;

    private String nodeId;
    private WsMetrics metrics;
    private Hubs hubs;
    private Gateway gateway;
    private RedisBroker redisBroker;
    private MemoryBroker memoryBroker;
    private Membership membership;
    private Shedder shedder;
    private Namespaces namespaces;
    private long heartbeatTimer = -1;

    void onStart(@Observes StartupEvent event) throws IOException {
        nodeId = config.nodeId().filter(s -> !s.isBlank()).orElse(InetAddress.getLocalHost().getHostName() + ":" + httpPort);
        metrics = new WsMetrics(registry);
        Replies replies = new Replies(json);
        hubs = new Hubs(vertx, replies, metrics, clock);
        ChannelKeys keys = new ChannelKeys(config.keyPrefix());
        memoryBroker = new MemoryBroker(clock, hubs.listener(() -> memoryBroker));
        Optional<String> redisUrl = config.redisUrl().filter(s -> !s.isBlank());
        if (redisUrl.isPresent()) {
            redisBroker = new RedisBroker(vertx, redisUrl.get(), keys, config.timing().historyMetaTtl(), config.timing().presenceTtl(),
                    breakers.breaker("ws-redis"), clock, hubs.listener(() -> redisBroker));
        }
        hubs.start(this::broker, config.timing().positionCheck(), config.timing().presenceTtl().dividedBy(3));
        namespaces = new Namespaces(config.defaultChannel(), config.namespaces());
        gateway = new Gateway(vertx, config, namespaces, tokens(), hubs, replies,
                new CommandParser(json, 100), metrics, clock, this::broker);
        shedder = new Shedder(vertx, gateway);
        membership = new Membership(redisBroker == null ? null : redisBroker.client(), keys, config.cluster().heartbeat(), clock);
        heartbeatTimer = vertx.setPeriodic(config.cluster().heartbeat().toMillis(), id -> heartbeat());
        heartbeat();
        Log.infof("ws node ready node=%s endpoint=%s broker=%s", nodeId, ENDPOINT, broker().clustered() ? "redis" : "memory");
    }

    private TokenVerifier tokens() throws IOException {
        WsConfig.Auth auth = config.auth();
        Optional<java.security.PublicKey> rsa = Optional.empty();
        Optional<String> keyFile = auth.rsaPublicKeyFile().filter(s -> !s.isBlank());
        if (keyFile.isPresent()) {
            rsa = Optional.of(TokenVerifier.rsaPublicKey(Files.readString(Path.of(keyFile.get()))));
        }
        return new TokenVerifier(auth.hmacSecret(), rsa, auth.audience(), auth.issuer(), clock);
    }

    /** The broker new subscriptions and publications use: Redis while the cluster flag is on and Redis is configured. */
    public Broker broker() {
        return redisBroker != null && flags.isEnabled(Flag.WEBSOCKET_CLUSTER) ? redisBroker : memoryBroker;
    }

    void onFlag(@Observes FlagChanged change) {
        if (change.flag() == Flag.WEBSOCKET_CLUSTER && hubs != null && redisBroker != null) {
            Log.infof("websocket-cluster is now %s: channels resubscribe through the %s broker", change.enabled() ? "on" : "off",
                    change.enabled() ? "Redis" : "local");
            hubs.resetAll("websocket-cluster flag changed");
        }
    }

    void route(@Observes Router router) {
        router.route(ENDPOINT).handler(this::upgrade);
    }

    private void upgrade(RoutingContext context) {
        if (gateway == null || shedder.draining()) {
            context.response().setStatusCode(503).putHeader("Retry-After", "1").end("this node is draining");
            return;
        }
        int limit = config.limits().connections();
        if (limit > 0 && gateway.connections() >= limit) {
            context.response().setStatusCode(503).putHeader("Retry-After", "1").end("connection limit reached");
            return;
        }
        String format = context.request().getParam("format");
        if (format != null && !format.equals("json")) {
            context.response().setStatusCode(400).end("only the JSON protocol is served");
            return;
        }
        io.vertx.core.Context loop = Vertx.currentContext();
        context.request().toWebSocket()
                .onSuccess(socket -> new ClientSession(gateway, socket, loop).start())
                .onFailure(e -> Log.debugf("websocket upgrade failed: %s", e.getMessage()));
    }

    private void heartbeat() {
        NodeRecord self = self();
        membership.beat(self, nodes -> {
            if (!flags.isEnabled(Flag.WEBSOCKET_CLUSTER)) {
                return;
            }
            int excess = Membership.excess(self, nodes, config.cluster().rebalanceFactor(), config.cluster().rebalanceMinConnections());
            if (excess > 0) {
                shedder.rebalance(excess, config.cluster().drainBatch(), config.cluster().drainInterval());
            }
        });
    }

    public NodeRecord self() {
        return new NodeRecord(nodeId, config.advertise().filter(s -> !s.isBlank()).orElse("http://127.0.0.1:" + httpPort),
                gateway.serving(), metrics.subscriptions(), hubs.channels(), shedder.draining(), clock.millis());
    }

    /** Starts a drain; returns the connections open when it started. */
    public int drain(int batch, Duration interval) {
        return shedder.drain(batch > 0 ? batch : config.cluster().drainBatch(),
                interval.isZero() ? config.cluster().drainInterval() : interval);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        if (gateway != null && gateway.connections() > 0) {
            // SIGTERM: every client gets 3001 (reconnect elsewhere) before the process goes, not a bare TCP reset.
            gateway.disconnect(Integer.MAX_VALUE, dev.meridian.ws.protocol.Disconnect.SHUTDOWN);
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (gateway.connections() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        hubs.stop();
        try {
            membership.leave(nodeId);
        } catch (RuntimeException e) {
            Log.debugf("could not remove the membership record: %s", e.getMessage());
        }
        if (redisBroker != null) {
            redisBroker.close();
        }
    }

    public Namespaces namespaces() {
        return namespaces;
    }

    public List<NodeRecord> nodes() {
        return membership.nodes();
    }

    public boolean redisConfigured() {
        return redisBroker != null;
    }

    public boolean fanoutLinked() {
        return redisBroker != null && redisBroker.linked();
    }

    public boolean draining() {
        return shedder.draining();
    }

    public String nodeId() {
        return nodeId;
    }

    public WsMetrics metrics() {
        return metrics;
    }

    public Gateway gateway() {
        return gateway;
    }

    public Hubs hubs() {
        return hubs;
    }

    public RuntimeFlags flags() {
        return flags;
    }

    public WsConfig config() {
        return config;
    }
}
