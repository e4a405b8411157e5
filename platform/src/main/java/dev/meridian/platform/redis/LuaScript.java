package dev.meridian.platform.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}); the source goes over the wire only when Redis
 * answers NOSCRIPT (after a restart, a failover, or on a node that never saw it).
 */
public final class LuaScript {

    private final String source;
    private final String sha;

    public LuaScript(String source) {
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    /** The script in a classpath resource next to {@code anchor}. */
    public static LuaScript fromResource(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    /** Runs with {@code keyCount} keys first in {@code keysThenArgs}, then the arguments. */
    public Uni<Response> run(Redis redis, int keyCount, List<String> keysThenArgs) {
        return redis.send(request(Command.EVALSHA, sha, keyCount, keysThenArgs))
                .onFailure(e -> String.valueOf(e.getMessage()).startsWith("NOSCRIPT"))
                .recoverWithUni(() -> redis.send(request(Command.EVAL, source, keyCount, keysThenArgs)));
    }

    /** The {@code EVALSHA} request alone, for a caller that sends it in a batch (and handles NOSCRIPT). */
    public Request evalsha(int keyCount, List<String> keysThenArgs) {
        return request(Command.EVALSHA, sha, keyCount, keysThenArgs);
    }

    public Uni<Response> run(Redis redis, List<String> keys, List<String> args) {
        List<String> all = new ArrayList<>(keys.size() + args.size());
        all.addAll(keys);
        all.addAll(args);
        return run(redis, keys.size(), all);
    }

    private static Request request(Command command, String script, int keyCount, List<String> keysThenArgs) {
        Request request = Request.cmd(command).arg(script).arg(keyCount);
        keysThenArgs.forEach(request::arg);
        return request;
    }
}
