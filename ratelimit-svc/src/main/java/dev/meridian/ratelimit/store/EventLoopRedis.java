package dev.meridian.ratelimit.store;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.mutiny.redis.client.Redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A Redis client per event loop, each made on its own loop. Vert.x binds a client's connections
 * to the context the client was created on, so with one shared client a call made on any other
 * loop crossed threads twice — the send handed to the connection's loop, the reply handed back —
 * each hand-off a task and an {@code eventfd} wake-up. Here the calls of a loop, their socket I/O
 * and their replies stay on that loop's thread. Calls made off every event loop use a client made
 * for them on first use.
 */
public final class EventLoopRedis implements AutoCloseable {

    private final Supplier<Redis> factory;
    private final boolean owned;
    private final Map<Thread, Redis> perLoop = new ConcurrentHashMap<>();
    private volatile Redis offLoop;

    /** @param factory makes a client; it is called on the event loop the client will serve */
    public EventLoopRedis(Supplier<Redis> factory) {
        this(factory, true);
    }

    private EventLoopRedis(Supplier<Redis> factory, boolean owned) {
        this.factory = factory;
        this.owned = owned;
    }

    /** One client for every caller, whatever its thread (tests, tools); its owner closes it. */
    public static EventLoopRedis single(Redis redis) {
        return new EventLoopRedis(() -> redis, false);
    }

    /** The client for the calling thread. */
    public Redis current() {
        Context context = Vertx.currentContext();
        if (context == null || !context.isEventLoopContext()) {
            Redis shared = offLoop;
            if (shared == null) {
                synchronized (this) {
                    if (offLoop == null) {
                        offLoop = factory.get();
                    }
                    shared = offLoop;
                }
            }
            return shared;
        }
        Redis mine = perLoop.get(Thread.currentThread());
        return mine != null ? mine : perLoop.computeIfAbsent(Thread.currentThread(), t -> makeOn((ContextInternal) context));
    }

    private Redis makeOn(ContextInternal context) {
        // On the loop's own context, not the caller's duplicated request context, which the client
        // would otherwise keep (and its request-local data with it) for the life of the service.
        Redis[] made = new Redis[1];
        context.unwrap().dispatch(() -> made[0] = factory.get());
        return made[0];
    }

    @Override
    public void close() {
        if (!owned) {
            return;
        }
        perLoop.values().forEach(Redis::close);
        perLoop.clear();
        Redis shared = offLoop;
        if (shared != null) {
            shared.close();
        }
    }
}
