package dev.meridian.cache.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The shared tier in Redis: one binary value per key ({@code cache:<key>}) with a TTL of the
 * entry's freshness plus its stale windows, and one set per surrogate key
 * ({@code cache-tag:<tag>}) listing the keys it names.
 */
public final class RedisStore {

    private final Vertx vertx;
    private final Redis redis;
    private final String prefix;
    private final Duration timeout;

    public RedisStore(Vertx vertx, Redis redis, String prefix, Duration timeout) {
        this.vertx = vertx;
        this.redis = redis;
        this.prefix = prefix;
        this.timeout = timeout;
    }

    public Future<CachedItem> get(String key) {
        return send(Request.cmd(Command.GET).arg(prefix + key)).map(reply -> reply == null ? null : EntryCodec.decode(reply.toBytes()));
    }

    public Future<Void> put(String key, CachedItem item, long ttlMillis, List<String> tags) {
        if (ttlMillis <= 0) {
            return Future.succeededFuture();
        }
        List<Request> writes = new ArrayList<>();
        writes.add(Request.cmd(Command.SET).arg(prefix + key).arg(Buffer.buffer(EntryCodec.encode(item))).arg("PX").arg(ttlMillis));
        for (String tag : tags) {
            String tagKey = tagKey(tag);
            writes.add(Request.cmd(Command.SADD).arg(tagKey).arg(key));
            // The tag set lives as long as its longest-lived key could (GT extends, NX sets the first TTL).
            writes.add(Request.cmd(Command.PEXPIRE).arg(tagKey).arg(ttlMillis).arg("GT"));
            writes.add(Request.cmd(Command.PEXPIRE).arg(tagKey).arg(ttlMillis).arg("NX"));
        }
        // One pipelined round trip for the entry and its tags.
        Promise<Void> done = Promise.promise();
        long timer = vertx.setTimer(timeout.toMillis(), id -> done.tryFail(new TimeoutException("redis did not answer within " + timeout.toMillis() + " ms")));
        redis.batch(writes).onComplete(result -> {
            vertx.cancelTimer(timer);
            if (result.succeeded()) {
                done.tryComplete();
            } else {
                done.tryFail(result.cause());
            }
        });
        return done.future();
    }

    /** Keys whose name starts with a key prefix (SCAN: proportional to the keyspace, for purges only). */
    public Future<List<String>> keysStartingWith(String keyPrefix) {
        List<String> found = new ArrayList<>();
        return scan("0", prefix + glob(keyPrefix) + "*", found).map(v -> found);
    }

    private Future<Void> scan(String cursor, String pattern, List<String> found) {
        return send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(1000)).compose(reply -> {
            for (Response key : reply.get(1)) {
                found.add(key.toString().substring(prefix.length()));
            }
            String next = reply.get(0).toString();
            return next.equals("0") ? Future.succeededFuture() : scan(next, pattern, found);
        });
    }

    public Future<List<String>> keysTagged(String tag) {
        return send(Request.cmd(Command.SMEMBERS).arg(tagKey(tag))).map(reply -> {
            List<String> keys = new ArrayList<>();
            if (reply != null) {
                reply.forEach(member -> keys.add(member.toString()));
            }
            return keys;
        });
    }

    /** Hard: deletes; soft: rewrites each entry marked stale, keeping its TTL. Returns how many. */
    public Future<Integer> purge(List<String> keys, boolean soft, String tag) {
        List<Future<Integer>> each = new ArrayList<>();
        for (String key : keys) {
            if (!soft) {
                each.add(send(Request.cmd(Command.DEL).arg(prefix + key)).map(Response::toInteger));
            } else {
                each.add(get(key).compose(item -> {
                    if (!(item instanceof CachedItem.Response r)) {
                        return Future.succeededFuture(0);
                    }
                    CachedItem stale = new CachedItem.Response(r.response().markInvalidated());
                    return send(Request.cmd(Command.SET).arg(prefix + key).arg(Buffer.buffer(EntryCodec.encode(stale)))
                            .arg("KEEPTTL").arg("XX")).map(reply -> reply == null ? 0 : 1);
                }));
            }
        }
        if (tag != null && !soft) {
            each.add(send(Request.cmd(Command.DEL).arg(tagKey(tag))).map(r -> 0));
        }
        return Future.all(each).map(all -> {
            int count = 0;
            for (int i = 0; i < all.size(); i++) {
                Integer n = all.resultAt(i);
                count += n == null ? 0 : n;
            }
            return count;
        });
    }

    /**
     * What the L2 holds, as Redis reports it: keys in the database and memory used. (The database
     * may hold more than the cache; counting only cache keys would need a full SCAN.)
     */
    public Future<java.util.Map<String, Object>> stats() {
        return send(Request.cmd(Command.DBSIZE)).compose(keys -> send(Request.cmd(Command.INFO).arg("memory")).map(info -> {
            long bytes = -1;
            for (String line : info.toString().split("\r?\n")) {
                if (line.startsWith("used_memory:")) {
                    bytes = Long.parseLong(line.substring("used_memory:".length()).strip());
                }
            }
            return java.util.Map.<String, Object>of("databaseKeys", keys.toLong(), "usedMemoryBytes", bytes);
        }));
    }

    public Redis client() {
        return redis;
    }

    private String tagKey(String tag) {
        return prefix.replaceFirst(":$", "") + "-tag:" + tag;
    }

    private Future<Response> send(Request request) {
        Promise<Response> result = Promise.promise();
        long timer = vertx.setTimer(timeout.toMillis(), id -> result.tryFail(new TimeoutException("redis did not answer within " + timeout.toMillis() + " ms")));
        redis.send(request).onComplete(done -> {
            vertx.cancelTimer(timer);
            if (done.succeeded()) {
                result.tryComplete(done.result());
            } else {
                result.tryFail(done.cause());
            }
        });
        return result.future();
    }

    private static String glob(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

}
