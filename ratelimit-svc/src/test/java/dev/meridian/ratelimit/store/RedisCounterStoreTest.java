package dev.meridian.ratelimit.store;

import dev.meridian.ratelimit.config.Algorithm;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Lua store against the real Redis (16379) and Redis Cluster (17001-17003) of ./meridian test. */
class RedisCounterStoreTest {

    private static final long WEEK = Duration.ofDays(7).toMillis();

    private static Vertx vertx;
    private static List<Redis> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        clients.forEach(Redis::close);
        vertx.closeAndAwait();
    }

    private static Redis standalone() {
        Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:16379").setMaxPoolSize(8)
                .setMaxPoolWaiting(1024));
        clients.add(redis);
        return redis;
    }

    private static Redis cluster() {
        Redis redis = Redis.createClient(vertx, new RedisOptions().setType(RedisClientType.CLUSTER)
                .addConnectionString("redis://127.0.0.1:17001").addConnectionString("redis://127.0.0.1:17002")
                .addConnectionString("redis://127.0.0.1:17003").setMaxPoolSize(8).setMaxPoolWaiting(1024));
        clients.add(redis);
        return redis;
    }

    private static String key(String name) {
        return "{test|" + name + "|" + UUID.randomUUID() + "}:0";
    }

    private static int admitted(CounterStore store, LimitCheck check, int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            if (!store.apply(List.of(check)).await().atMost(Duration.ofSeconds(5)).get(0).overLimit()) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void agreesWithTheInMemoryArithmetic() {
        CounterStore redis = new RedisCounterStore(EventLoopRedis.single(standalone()), false, "meridian-test:rl:", Duration.ofSeconds(5));
        InMemoryCounterStore memory = new InMemoryCounterStore(Clock.systemUTC(), 1000);
        for (Algorithm algorithm : Algorithm.values()) {
            LimitCheck check = new LimitCheck(key(algorithm.yamlName()), algorithm, 7, WEEK, 1, 0);
            assertEquals(admitted(memory, check, 10), admitted(redis, check, 10), algorithm.yamlName());
        }
    }

    @Test
    void threeInstancesAndSixtyFourConcurrentCallersAdmitExactlyTheLimit() {
        List<CounterStore> instances = List.of(
                new RedisCounterStore(EventLoopRedis.single(standalone()), false, "meridian-test:rl:", Duration.ofSeconds(5)),
                new RedisCounterStore(EventLoopRedis.single(standalone()), false, "meridian-test:rl:", Duration.ofSeconds(5)),
                new RedisCounterStore(EventLoopRedis.single(standalone()), false, "meridian-test:rl:", Duration.ofSeconds(5)));
        LimitCheck check = new LimitCheck(key("shared"), Algorithm.FIXED_WINDOW, 100, WEEK, 1, 0);

        // 64 callers, 4 requests each, spread over the three instances, all in flight together
        List<Uni<Boolean>> calls = new ArrayList<>();
        for (int caller = 0; caller < 64; caller++) {
            for (int request = 0; request < 4; request++) {
                CounterStore instance = instances.get((caller + request) % 3);
                calls.add(instance.apply(List.of(check)).map(outcomes -> !outcomes.get(0).overLimit()));
            }
        }
        List<Boolean> results = Uni.join().all(calls).andFailFast().await().atMost(Duration.ofSeconds(30));

        assertEquals(100, results.stream().filter(allowed -> allowed).count());
    }

    @Test
    void differentKeysNeverInterfere() {
        CounterStore redis = new RedisCounterStore(EventLoopRedis.single(standalone()), false, "meridian-test:rl:", Duration.ofSeconds(5));
        LimitCheck alice = new LimitCheck(key("alice"), Algorithm.FIXED_WINDOW, 2, WEEK, 1, 0);
        LimitCheck bob = new LimitCheck(key("bob"), Algorithm.FIXED_WINDOW, 2, WEEK, 1, 1);
        admitted(redis, alice, 5);

        List<LimitOutcome> both = redis.apply(List.of(alice, bob)).await().atMost(Duration.ofSeconds(5));

        assertTrue(both.get(0).overLimit());
        assertFalse(both.get(1).overLimit());
        assertEquals(1, both.get(1).remaining());
    }

    @Test
    void reloadsTheScriptAfterRedisForgetsIt() {
        Redis client = standalone();
        CounterStore redis = new RedisCounterStore(EventLoopRedis.single(client), false, "meridian-test:rl:", Duration.ofSeconds(5));
        LimitCheck check = new LimitCheck(key("noscript"), Algorithm.TOKEN_BUCKET, 5, WEEK, 1, 0);
        client.send(Request.cmd(Command.SCRIPT).arg("FLUSH")).await().atMost(Duration.ofSeconds(5));

        assertEquals(4, redis.apply(List.of(check)).await().atMost(Duration.ofSeconds(5)).get(0).remaining());
        assertEquals(3, redis.apply(List.of(check)).await().atMost(Duration.ofSeconds(5)).get(0).remaining());
    }

    @Test
    void runsOnRedisClusterWithChecksSpreadOverSlots() {
        CounterStore store = new RedisCounterStore(EventLoopRedis.single(cluster()), true, "meridian-test:rl:", Duration.ofSeconds(5));
        List<LimitCheck> checks = new ArrayList<>();
        Set<Integer> slots = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            LimitCheck check = new LimitCheck(key("user" + i), Algorithm.FIXED_WINDOW, i, WEEK, 1, i);
            checks.add(check);
            slots.add(ClusterSlots.slot(check.key()));
        }
        assertTrue(slots.size() > 3, "the checks should land on several slots");

        List<LimitOutcome> outcomes = store.apply(checks).await().atMost(Duration.ofSeconds(5));

        for (int i = 0; i < 12; i++) {
            assertEquals(i == 0, outcomes.get(i).overLimit(), "limit " + i);
            assertEquals(Math.max(0, i - 1), outcomes.get(i).remaining(), "outcomes come back in request order");
        }
    }
}
