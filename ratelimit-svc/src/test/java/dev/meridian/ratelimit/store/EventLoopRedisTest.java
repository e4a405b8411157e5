package dev.meridian.ratelimit.store;

import io.vertx.core.Context;
import io.vertx.core.impl.ContextInternal;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Each event loop gets a client made on its own (non-request) context; the local Redis (16379) answers it there. */
class EventLoopRedisTest {

    private record Made(Thread thread, boolean duplicated) {
    }

    private static Vertx vertx;
    private static final List<Made> made = new CopyOnWriteArrayList<>();
    private static EventLoopRedis clients;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        clients = new EventLoopRedis(() -> {
            Context context = io.vertx.core.Vertx.currentContext();
            made.add(new Made(Thread.currentThread(), context != null && ((ContextInternal) context).isDuplicate()));
            return Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:16379").setMaxPoolSize(2));
        });
    }

    @AfterAll
    static void stop() {
        clients.close();
        vertx.closeAndAwait();
    }

    /** On a request-like (duplicated) context of a new event-loop context: the client, the thread, and the PING answer's thread. */
    private static Object[] onLoop(ContextInternal loop) throws Exception {
        CompletableFuture<Object[]> done = new CompletableFuture<>();
        loop.duplicate().runOnContext(v -> {
            Thread caller = Thread.currentThread();
            Redis client = clients.current();
            client.send(Request.cmd(Command.PING)).subscribe().with(
                    pong -> done.complete(new Object[] {client, caller, Thread.currentThread()}), done::completeExceptionally);
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    @Test
    void eachLoopHasItsOwnClientMadeOnItAndAnsweredOnIt() throws Exception {
        // given: two event-loop contexts on different loops (Vert.x assigns loops round robin)
        io.vertx.core.impl.VertxInternal core = (io.vertx.core.impl.VertxInternal) vertx.getDelegate();
        ContextInternal first = core.createEventLoopContext();
        ContextInternal second = core.createEventLoopContext();

        // when
        Object[] a = onLoop(first);
        Object[] again = onLoop(first);
        Object[] b = onLoop(second);

        // then: one client per loop, reused on the same loop, made on the loop's thread outside the request context
        assertSame(a[0], again[0]);
        assertNotSame(a[0], b[0]);
        assertEquals(a[1], a[2], "the reply came back on the calling loop's thread");
        assertEquals(b[1], b[2], "the reply came back on the calling loop's thread");
        List<Made> onLoops = made.stream().filter(m -> m.thread() == a[1] || m.thread() == b[1]).toList();
        assertEquals(2, onLoops.size(), "one client made on each loop");
        assertFalse(onLoops.get(0).duplicated() || onLoops.get(1).duplicated(), "a client must not keep a caller's request context");
    }

    @Test
    void callsOffEveryEventLoopShareOneClient() {
        Redis one = clients.current();
        Redis two = clients.current();

        assertSame(one, two);
        assertEquals("PONG", one.send(Request.cmd(Command.PING)).await().indefinitely().toString());
    }
}
