package dev.meridian.platform.flags;

import dev.meridian.platform.redis.Backoff;
import dev.meridian.platform.redis.RedisServerProcess;
import dev.meridian.platform.redis.StreamTail;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How an instance behaves when Redis is away: it starts anyway, keeps its last known values, says
 * why, and follows again once Redis is back. Uses a redis-server of its own so it can stop it.
 */
class RuntimeFlagsRedisOutageTest {

    private static final FlagSettings FAST = new FlagSettings("meridian:flags", "meridian:control", 1000,
            Duration.ofMillis(300), new StreamTail.Options(Duration.ofMillis(500), 100,
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 0.2)));

    private final RedisServerProcess server = new RedisServerProcess();
    private final List<FlagChanged> changes = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private Redis redis;
    private RuntimeFlags flags;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, server.uri());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (flags != null) {
            flags.close();
        }
        redis.close();
        vertx.closeAndAwait();
        server.stop();
    }

    @Test
    void startsOnEnvironmentValuesWhileRedisIsDownAndAdoptsRedisOnceItIsUp() throws Exception {
        // given: nothing listens on the Redis port
        flags = new RuntimeFlags(vertx, redis, () -> Redis.createClient(vertx, server.uri()), FAST, Map.of(Flag.EDGE_CACHE, true), Clock.systemUTC(), changes::add);

        // when
        var start = flags.start();

        // then: start-up is not held hostage, the env value stands and the status says why
        assertThrows(RuntimeException.class, () -> start.await().atMost(Duration.ofMillis(500)));
        assertTrue(flags.isEnabled(Flag.EDGE_CACHE));
        await().atMost(Duration.ofSeconds(2)).until(() -> flags.status().lastError() != null);
        assertFalse(flags.status().redisConnected());

        // when: Redis comes up holding a cluster-wide value
        server.start();
        redis.send(Request.cmd(Command.HSET).arg("meridian:flags").arg("edge-cache").arg("false")).await().indefinitely();

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> !flags.isEnabled(Flag.EDGE_CACHE));
        assertEquals(FlagSource.REDIS_HASH, flags.value(Flag.EDGE_CACHE).source());
        // The reconcile may have read the hash before the tail's backoff ran out.
        await().atMost(Duration.ofSeconds(2)).until(() -> flags.status().redisConnected());
        assertNotNull(flags.status().lastSync());
        assertEquals(List.of(new FlagChanged(Flag.EDGE_CACHE, false, FlagSource.REDIS_HASH, null)), changes);
    }

    @Test
    void lastKnownValuesStandDuringAnOutageAndChangesFlowAgainAfterIt() throws Exception {
        // given: a running instance that learnt edge-cache=false from Redis
        server.start();
        redis.send(Request.cmd(Command.HSET).arg("meridian:flags").arg("edge-cache").arg("false")).await().indefinitely();
        flags = new RuntimeFlags(vertx, redis, () -> Redis.createClient(vertx, server.uri()), FAST, Map.of(), Clock.systemUTC(), changes::add);
        flags.start().await().atMost(Duration.ofSeconds(5));
        assertFalse(flags.isEnabled(Flag.EDGE_CACHE));

        // when: Redis dies
        server.stop();

        // then: the instance notices, and keeps the value it knew
        await().atMost(Duration.ofSeconds(5)).until(() -> !flags.status().redisConnected());
        assertFalse(flags.isEnabled(Flag.EDGE_CACHE));
        assertNotNull(flags.status().lastError());

        // when: Redis returns (empty: it kept nothing) and an operator turns the flag back on
        server.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> flags.status().redisConnected());
        assertFalse(flags.isEnabled(Flag.EDGE_CACHE), "an empty hash must not reset known values");
        flags.set(Flag.EDGE_CACHE, true, "operator").await().atMost(Duration.ofSeconds(2));

        // then: whichever path brings it first (the control event or the hash reconcile)
        await().atMost(Duration.ofSeconds(2)).until(() -> flags.isEnabled(Flag.EDGE_CACHE));
        FlagChanged last = changes.get(changes.size() - 1);
        assertEquals(Flag.EDGE_CACHE, last.flag());
        assertTrue(last.enabled());
    }
}
