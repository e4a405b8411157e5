package dev.meridian.cache.proxy;

import dev.meridian.cache.admin.CacheMetrics;
import dev.meridian.cache.config.CacheConfig;
import dev.meridian.cache.http.CachePolicy;
import dev.meridian.cache.store.L1Store;
import dev.meridian.cache.store.RedisStore;
import dev.meridian.cache.store.TieredStore;
import dev.meridian.platform.breaker.CircuitBreakers;
import dev.meridian.platform.flags.RuntimeFlags;
import dev.meridian.platform.redis.StreamTail;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Wires the edge at startup: policy, tiers, invalidation stream, meters, and one HTTP listener per event loop. */
@ApplicationScoped
public class CacheRuntime {

    @Inject
    Vertx vertx;

    @Inject
    io.vertx.mutiny.core.Vertx mutinyVertx;

    @Inject
    CacheConfig config;

    @Inject
    RuntimeFlags flags;

    @Inject
    CircuitBreakers breakers;

    @Inject
    MeterRegistry registry;

    private CachePolicy policy;
    private TieredStore store;
    private CacheMetrics metrics;
    private final Coalescer coalescer = new Coalescer();
    private final List<String> deployments = new ArrayList<>();
    private volatile long lastOriginFailureMillis;

    void onStart(@Observes StartupEvent event) throws Exception {
        var rules = config.rules();
        policy = new CachePolicy(new CachePolicy.Settings(rules.targetedFields(), rules.storePrivate(), rules.storeSetCookie(),
                0.1, Duration.ofDays(1), config.storage().validationWindow(), routes(rules)));
        metrics = new CacheMetrics(registry);
        L1Store l1 = new L1Store(config.storage().l1Bytes());
        RedisStore l2 = config.redisUrl().filter(u -> !u.isBlank()).map(url -> new RedisStore(vertx,
                Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(32).setMaxPoolWaiting(1024)),
                config.storage().keyPrefix(), Duration.ofMillis(500))).orElse(null);
        store = new TieredStore(l1, l2, breakers.breaker("cache-redis"), config.storage().invalidationStream());
        if (l2 != null) {
            String url = config.redisUrl().get();
            store.follow(new StreamTail(mutinyVertx, () -> io.vertx.mutiny.redis.client.Redis.createClient(mutinyVertx,
                    new RedisOptions().setConnectionString(url).setMaxPoolSize(2)), config.storage().invalidationStream(),
                    StreamTail.END, store, StreamTail.Options.defaults()));
        }
        int loops = config.edge().eventLoops() > 0 ? config.edge().eventLoops() : Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < loops; i++) {
            deployments.add(vertx.deployVerticle(new EdgeListener()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
        }
        Log.infof("edge listening port=%d origin=%s shared_tier=%s loops=%d", config.edge().port(), config.origin(),
                l2 != null ? "redis" : "none", loops);
    }

    private static List<CachePolicy.RouteTtl> routes(CacheConfig.Rules rules) {
        List<CachePolicy.RouteTtl> routes = new ArrayList<>();
        for (CacheConfig.TtlRule rule : rules.ttl().orElse(List.of())) {
            if (rule.override().isEmpty() && rule.ceiling().isEmpty()) {
                throw new IllegalArgumentException("meridian.cache.rules.ttl for " + rule.path() + ": give override or ceiling");
            }
            routes.add(new CachePolicy.RouteTtl(dev.meridian.cache.warm.UrlPatterns.compile(rule.path()),
                    rule.override().map(Duration::toMillis).orElse(-1L), rule.ceiling().map(Duration::toMillis).orElse(-1L)));
        }
        return routes;
    }

    void onStop(@Observes ShutdownEvent event) {
        deployments.forEach(vertx::undeploy);
        if (store != null) {
            store.close();
        }
    }

    /** One HTTP listener and origin pool on one event loop. */
    private final class EdgeListener extends AbstractVerticle {
        private HttpServer server;
        private OriginClient origin;

        @Override
        public void start(Promise<Void> started) {
            origin = new OriginClient(vertx, config.origin(), config.edge().originTimeout(), config.edge().originPoolSize());
            server = vertx.createHttpServer(new HttpServerOptions().setHost(config.edge().host()).setPort(config.edge().port())
                    .setMaxHeaderSize(config.edge().maxHeaderBytes()).setTcpNoDelay(true).setCompressionSupported(false));
            server.requestHandler(new EdgeHandler(CacheRuntime.this, origin));
            server.invalidRequestHandler(EdgeResponses::invalid);
            server.listen().<Void>mapEmpty().onComplete(started);
        }

        @Override
        public void stop() {
            origin.close();
        }
    }

    void originFailed() {
        lastOriginFailureMillis = System.currentTimeMillis();
    }

    public long lastOriginFailureMillis() {
        return lastOriginFailureMillis;
    }

    public String cacheName() {
        return "meridian";
    }

    public CachePolicy policy() {
        return policy;
    }

    public TieredStore store() {
        return store;
    }

    public CacheMetrics metrics() {
        return metrics;
    }

    public RuntimeFlags flags() {
        return flags;
    }

    public CacheConfig config() {
        return config;
    }

    Coalescer coalescer() {
        return coalescer;
    }
}
