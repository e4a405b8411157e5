package dev.meridian.ratelimit.store;

import dev.meridian.platform.redis.LuaScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Calls made in one event-loop turn go to the local Redis (16379) together, each with its own answer. */
class ScriptBatcherTest {

    /** Returns the counter after the increment, tagged with the caller's argument so replies can be matched. */
    private static final String SOURCE = "local n = redis.call('INCR', KEYS[1]) redis.call('PEXPIRE', KEYS[1], 60000) return {n, ARGV[1]}";
    private static final LuaScript COUNT = new LuaScript(SOURCE);

    private static Vertx vertx;
    private static Redis redis;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:16379").setMaxPoolSize(4)
                .setMaxPoolWaiting(1024));
    }

    @AfterAll
    static void stop() {
        redis.close();
        vertx.closeAndAwait();
    }

    /** Makes {@code calls} calls in one turn of an event loop and returns their replies as "count:argument". */
    private static List<String> oneTurn(ScriptBatcher batcher, String key, int calls) throws Exception {
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        vertx.getDelegate().getOrCreateContext().runOnContext(v -> {
            List<Uni<String>> replies = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                replies.add(batcher.run(0, 1, List.of(key, "caller-" + i))
                        .map(reply -> reply.get(0).toLong() + ":" + reply.get(1).toString()));
            }
            Uni.join().all(replies).andFailFast().subscribe().with(done::complete, done::completeExceptionally);
        });
        return done.get(30, TimeUnit.SECONDS);
    }

    @Test
    void everyCallGetsItsOwnReplyAndTheyTravelInFewBatches() throws Exception {
        ScriptBatcher batcher = new ScriptBatcher(EventLoopRedis.single(redis), COUNT, Duration.ofSeconds(5));
        String key = "meridian-test:batch:" + UUID.randomUUID();
        redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(SOURCE)).await().atMost(Duration.ofSeconds(5));

        List<String> replies = oneTurn(batcher, key, 300);

        for (int i = 0; i < replies.size(); i++) {
            assertTrue(replies.get(i).endsWith(":caller-" + i), "reply " + i + " went to the wrong caller: " + replies.get(i));
        }
        Set<Long> counts = replies.stream().map(r -> Long.parseLong(r.substring(0, r.indexOf(':')))).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(IntStream.rangeClosed(1, 300).mapToObj(Long::valueOf).collect(Collectors.toCollection(TreeSet::new)), counts,
                "every call ran exactly once");
        long batches = batcher.batchesSent();
        assertTrue(batches >= 3 && batches <= 4, "300 calls in one turn, at most " + ScriptBatcher.MAX_BATCH + " a batch: " + batches);
    }

    @Test
    void aBatchRefusedForNoscriptIsRetriedCallByCall() throws Exception {
        ScriptBatcher batcher = new ScriptBatcher(EventLoopRedis.single(redis), COUNT, Duration.ofSeconds(5));
        String key = "meridian-test:batch:" + UUID.randomUUID();
        redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")).await().atMost(Duration.ofSeconds(5));

        List<String> replies = oneTurn(batcher, key, 20);

        assertEquals(20, replies.stream().map(r -> r.substring(0, r.indexOf(':'))).distinct().count());
        for (int i = 0; i < replies.size(); i++) {
            assertTrue(replies.get(i).endsWith(":caller-" + i), replies.get(i));
        }
    }

    @Test
    void aBatchWithOneFailingCommandIsNotRunAgain() throws Exception {
        // One command of the batch errors after the others have counted: the batch fails as a
        // whole, and running the others again would count them twice.
        String source = "if ARGV[1] == 'boom' then return redis.error_reply('boom') end " + SOURCE;
        LuaScript failOnBoom = new LuaScript(source);
        redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source)).await().atMost(Duration.ofSeconds(5));
        ScriptBatcher batcher = new ScriptBatcher(EventLoopRedis.single(redis), failOnBoom, Duration.ofSeconds(5));
        String key = "meridian-test:batch:" + UUID.randomUUID();

        CompletableFuture<List<String>> done = new CompletableFuture<>();
        vertx.getDelegate().getOrCreateContext().runOnContext(v -> {
            List<Uni<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                outcomes.add(batcher.run(0, 1, List.of(key, i == 4 ? "boom" : "caller-" + i))
                        .map(reply -> "ok").onFailure().recoverWithItem(e -> "failed"));
            }
            Uni.join().all(outcomes).andFailFast().subscribe().with(done::complete, done::completeExceptionally);
        });
        List<String> outcomes = done.get(30, TimeUnit.SECONDS);

        assertEquals(1, batcher.batchesSent());
        assertEquals("failed", outcomes.get(4));
        String count = redis.send(Request.cmd(Command.GET).arg(key)).await().atMost(Duration.ofSeconds(5)).toString();
        assertEquals("9", count, "the nine calls that ran counted once each");
    }

    @Test
    void aBatchRedisDoesNotAnswerInTimeFailsEveryCallWithATimeout() throws Exception {
        // given: a script that keeps Redis busy for 400 ms, and a 100 ms store timeout
        String source = "local t = redis.call('TIME') local start = t[1] * 1000000 + t[2] "
                + "repeat local n = redis.call('TIME') until n[1] * 1000000 + n[2] - start > 400000 return 1";
        LuaScript slow = new LuaScript(source);
        redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source)).await().atMost(Duration.ofSeconds(5));
        ScriptBatcher batcher = new ScriptBatcher(EventLoopRedis.single(redis), slow, Duration.ofMillis(100));

        // when: three calls in one turn
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        long started = System.nanoTime();
        vertx.getDelegate().getOrCreateContext().runOnContext(v -> {
            List<Uni<String>> outcomes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                outcomes.add(batcher.run(0, 1, List.of("meridian-test:batch:slow", "caller-" + i))
                        .map(reply -> "answered").onFailure().recoverWithItem(e -> e.getClass().getSimpleName()));
            }
            Uni.join().all(outcomes).andFailFast().subscribe().with(done::complete, done::completeExceptionally);
        });
        List<String> outcomes = done.get(30, TimeUnit.SECONDS);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        // then: every call failed with a timeout, before Redis finished the script
        assertEquals(List.of("TimeoutException", "TimeoutException", "TimeoutException"), outcomes);
        assertTrue(tookMillis < 1_000, "the calls waited " + tookMillis + " ms");
    }

    @Test
    void onlyABatchRefusedNoscriptThroughoutCountsAsNotRun() {
        assertTrue(ScriptBatcher.noneRan(new RuntimeException("ERR [0]NOSCRIPT x\nERR [1]NOSCRIPT x"), 2));
        assertFalse(ScriptBatcher.noneRan(new RuntimeException("ERR [0]NOSCRIPT x"), 2), "one of two may have run");
        assertFalse(ScriptBatcher.noneRan(new RuntimeException("Connection closed"), 2));
        assertFalse(ScriptBatcher.noneRan(new RuntimeException(), 2));
    }

    @Test
    void aCallOffTheEventLoopGoesAlone() {
        ScriptBatcher batcher = new ScriptBatcher(EventLoopRedis.single(redis), COUNT, Duration.ofSeconds(5));
        String key = "meridian-test:batch:" + UUID.randomUUID();

        long count = batcher.run(0, 1, List.of(key, "x")).await().atMost(Duration.ofSeconds(5)).get(0).toLong();

        assertEquals(1, count);
        assertEquals(0, batcher.batchesSent());
    }
}
