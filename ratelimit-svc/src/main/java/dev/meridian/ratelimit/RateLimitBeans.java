package dev.meridian.ratelimit;

import dev.meridian.platform.breaker.Breaker;
import dev.meridian.platform.breaker.CircuitBreakers;
import dev.meridian.platform.flags.Flag;
import dev.meridian.platform.flags.RuntimeFlags;
import dev.meridian.ratelimit.admin.DecisionMetrics;
import dev.meridian.ratelimit.config.Algorithm;
import dev.meridian.ratelimit.config.ConfigReloader;
import dev.meridian.ratelimit.config.LimitRule;
import dev.meridian.ratelimit.config.LimitUnit;
import dev.meridian.ratelimit.limiter.OverLimitCache;
import dev.meridian.ratelimit.limiter.RateLimitDecider;
import dev.meridian.ratelimit.store.CounterStore;
import dev.meridian.ratelimit.store.InMemoryCounterStore;
import dev.meridian.ratelimit.store.EventLoopRedis;
import dev.meridian.ratelimit.store.RedisCounterStore;
import io.quarkus.logging.Log;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Wires the decision from configuration: counter store, breaker, fallback, caches, flag, metrics. */
@ApplicationScoped
public class RateLimitBeans {

    /** Name of the breaker around the counter store, as shown at /health/circuit-breakers. */
    public static final String STORE_BREAKER = "ratelimit-redis";

    /** Options of the counters' Redis clients; empty when counters stay in memory. */
    static Optional<RedisOptions> counterRedisOptions(RateLimitServiceConfig.Store store) {
        List<String> cluster = store.clusterUrls().orElse(List.of()).stream().filter(s -> !s.isBlank()).toList();
        RedisOptions options = new RedisOptions().setMetricsName("ratelimit-counters").setPoolName("ratelimit-counters")
                .setMaxPoolSize(store.poolSize()).setMaxPoolWaiting(4096)
                .setMaxWaitingHandlers(4096);
        if (!cluster.isEmpty()) {
            options.setType(RedisClientType.CLUSTER);
            cluster.forEach(options::addConnectionString);
        } else if (store.redisUrl().filter(s -> !s.isBlank()).isPresent()) {
            options.setConnectionString(store.redisUrl().get());
        } else {
            return Optional.empty();
        }
        return Optional.of(options);
    }

    @Produces
    @Singleton
    CounterStore counterStore(Vertx vertx, RateLimitServiceConfig config, Clock clock) {
        Optional<RedisOptions> options = counterRedisOptions(config.store());
        if (options.isEmpty()) {
            Log.info("rate-limit counters in memory: no RATELIMIT_REDIS_URL or RATELIMIT_REDIS_CLUSTER_URLS, one instance only");
            return new InMemoryCounterStore(clock, config.store().memoryEntries());
        }
        boolean cluster = options.get().getType() == RedisClientType.CLUSTER;
        // Each event loop gets clients of its own (EventLoopRedis); the pool size applies to each.
        return new RedisCounterStore(new EventLoopRedis(() -> Redis.createClient(vertx, new RedisOptions(options.get()))), cluster,
                config.store().keyPrefix(), config.store().timeout());
    }

    void closeCounterStore(@Disposes CounterStore store) {
        if (store instanceof RedisCounterStore redis) {
            redis.close();
        }
    }

    @Produces
    @Singleton
    RateLimitDecider decider(ConfigReloader reloader, CounterStore store, CircuitBreakers breakers, RuntimeFlags flags,
            RateLimitServiceConfig config, DecisionMetrics metrics, Clock clock) {
        Breaker breaker = breakers.breaker(STORE_BREAKER);
        Optional<LimitRule> defaultLimit = config.defaultRateLimit().isPresent()
                ? Optional.of(new LimitRule("default", config.defaultRateLimit().getAsLong(), LimitUnit.MINUTE, 1,
                        Algorithm.FIXED_WINDOW, false, List.of(), "default"))
                : Optional.empty();
        // The Redis store fails a call that takes longer than meridian.ratelimit.store.timeout itself
        // (one timer per pipelined batch); the in-memory store answers at once.
        RateLimitDecider.StoreGuard guard = breaker::call;
        return new RateLimitDecider(new RateLimitDecider.Parts(reloader::current, store, guard,
                new InMemoryCounterStore(clock, config.store().memoryEntries()), config.instances(),
                new OverLimitCache(clock, config.overLimitCacheEntries()), () -> flags.isEnabled(Flag.RATE_LIMITING),
                defaultLimit, metrics));
    }
}
