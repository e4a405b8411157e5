package dev.meridian.cache.proxy;

import io.vertx.core.Future;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * One origin request per key at a time: concurrent misses (or validations) of the same key wait
 * for the first one's answer. The caller decides whether that answer may be shared (a response
 * the cache may store) or whether each waiter must ask for its own (a private one).
 */
final class Coalescer {

    private final ConcurrentMap<String, Future<OriginResponse>> inFlight = new ConcurrentHashMap<>();

    /** The in-flight fetch for the key, started with {@code fetch} if there is none. {@code led[0]} says who started it. */
    Future<OriginResponse> fetch(String key, Supplier<Future<OriginResponse>> fetch, boolean[] led) {
        Future<OriginResponse> running = inFlight.get(key);
        if (running != null) {
            led[0] = false;
            return running;
        }
        io.vertx.core.Promise<OriginResponse> promise = io.vertx.core.Promise.promise();
        Future<OriginResponse> existing = inFlight.putIfAbsent(key, promise.future());
        if (existing != null) {
            led[0] = false;
            return existing;
        }
        led[0] = true;
        fetch.get().onComplete(done -> {
            inFlight.remove(key, promise.future());
            promise.handle(done);
        });
        return promise.future();
    }
}
