package dev.meridian.router.proxy;

import dev.meridian.router.routing.StatementInfo;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A statement a client prepared. Named statements get a router-wide server-side name per distinct
 * text and parameter types, so a backend prepares each once however many clients use it, and any
 * backend a client lands on can be given it (PgBouncer ≥ 1.21 does the same).
 *
 * @param serverName the name on backends; empty for the unnamed statement
 * @param parseTail  the Parse body after the name: query, parameter count and types
 * @param info       where it may run
 */
record ClientStatement(String serverName, byte[] parseTail, StatementInfo info) {

    /**
     * Names by statement text and parameter types, bounded: an application that generates endless
     * distinct statements must not grow the router without limit. A name evicted and asked for
     * again gets a new one; backends that prepared the old one keep it until they are recycled.
     */
    private static final Cache<String, String> NAMES = Caffeine.newBuilder().maximumSize(100_000).build();
    private static final AtomicLong NEXT = new AtomicLong();

    static String serverNameFor(byte[] parseTail) {
        String key = new String(parseTail, StandardCharsets.ISO_8859_1);
        return NAMES.get(key, k -> "meridian_" + NEXT.incrementAndGet());
    }

    /** The same statement, to run where {@code info} says (a standby refused it). */
    ClientStatement withInfo(StatementInfo info) {
        return new ClientStatement(serverName, parseTail, info);
    }

    /** The statement's query text. */
    String query() {
        return dev.meridian.router.wire.MessageDecoder.cString(java.nio.ByteBuffer.wrap(parseTail), "Parse");
    }

    boolean unnamed() {
        return serverName.isEmpty();
    }

    /** A Parse message that creates this statement under its server-side name. */
    Buffer parseMessage() {
        byte[] name = serverName.getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer(6 + name.length + parseTail.length).appendByte((byte) 'P')
                .appendInt(4 + name.length + 1 + parseTail.length).appendBytes(name).appendByte((byte) 0).appendBytes(parseTail);
    }
}
