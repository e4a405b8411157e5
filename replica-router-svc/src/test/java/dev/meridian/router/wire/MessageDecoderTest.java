package dev.meridian.router.wire;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Framing, with the bad input every protocol surface must survive: truncated, oversized, garbage, out of order. */
class MessageDecoderTest {

    private final MessageDecoder decoder = new MessageDecoder(1 << 20);

    private static ByteBuffer startupMessage(String... keyValues) {
        ByteBuffer body = ByteBuffer.allocate(1024);
        body.putInt(0).putInt(StartupPacket.PROTOCOL_3_0);
        for (String s : keyValues) {
            body.put(s.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
        }
        body.put((byte) 0);
        body.putInt(0, body.position());
        return body.flip();
    }

    @Test
    void readsAStartupMessage() {
        StartupPacket packet = decoder.startup(startupMessage("user", "meridian", "database", "app", "application_name", "psql"))
                .orElseThrow();
        StartupPacket.Startup startup = assertInstanceOf(StartupPacket.Startup.class, packet);
        assertEquals("meridian", startup.user());
        assertEquals("app", startup.database());
        assertEquals("psql", startup.parameters().get("application_name"));
        assertEquals("meridian", ((StartupPacket.Startup) decoder.startup(startupMessage("user", "meridian")).orElseThrow()).database());
    }

    @Test
    void readsSslGssAndCancelRequests() {
        assertInstanceOf(StartupPacket.SslRequest.class,
                decoder.startup(ByteBuffer.allocate(8).putInt(8).putInt(StartupPacket.SSL_REQUEST).flip()).orElseThrow());
        assertInstanceOf(StartupPacket.GssEncRequest.class,
                decoder.startup(ByteBuffer.allocate(8).putInt(8).putInt(StartupPacket.GSSENC_REQUEST).flip()).orElseThrow());
        StartupPacket.CancelRequest cancel = assertInstanceOf(StartupPacket.CancelRequest.class, decoder.startup(
                ByteBuffer.allocate(16).putInt(16).putInt(StartupPacket.CANCEL_REQUEST).putInt(42).putInt(7).flip()).orElseThrow());
        assertEquals(42, cancel.processId());
        assertEquals(7, cancel.secretKey());
    }

    @Test
    void waitsForTheRestOfATruncatedPacket() {
        ByteBuffer whole = startupMessage("user", "u");
        ByteBuffer partial = whole.slice(0, whole.limit() - 3);
        assertEquals(Optional.empty(), decoder.startup(partial));
        assertEquals(0, partial.position(), "nothing consumed");
        ByteBuffer typed = ByteBuffer.allocate(9).put((byte) 'Q').putInt(100).flip();
        assertEquals(Optional.empty(), decoder.message(typed));
    }

    @Test
    void refusesOversizedAndNonsenseLengthsBeforeBuffering() {
        FrameTooLargeException big = assertThrows(FrameTooLargeException.class,
                () -> decoder.message(ByteBuffer.allocate(5).put((byte) 'Q').putInt(Integer.MAX_VALUE).flip()));
        assertEquals(1 << 20, big.max());
        assertEquals("08P01", big.sqlState());
        assertThrows(ProtocolException.class, () -> decoder.message(ByteBuffer.allocate(5).put((byte) 'Q').putInt(2).flip()));
        assertThrows(FrameTooLargeException.class, () -> decoder.startup(ByteBuffer.allocate(4).putInt(1_000_000).flip()));
        assertThrows(ProtocolException.class, () -> decoder.startup(ByteBuffer.allocate(4).putInt(3).flip()));
    }

    @Test
    void garbageIsAProtocolViolation() {
        ProtocolException unknownType = assertThrows(ProtocolException.class,
                () -> decoder.message(ByteBuffer.allocate(5).put((byte) 0x01).putInt(4).flip()));
        assertEquals("08P01", unknownType.sqlState());
        assertTrue(assertThrows(ProtocolException.class, () -> decoder.startup(
                ByteBuffer.allocate(8).putInt(8).putInt(2 << 16).flip())).getMessage().contains("unsupported frontend protocol 2.0"));
        assertThrows(ProtocolException.class, () -> decoder.startup(ByteBuffer.allocate(12).putInt(12).putInt(StartupPacket.SSL_REQUEST).putInt(0).flip()));
        ByteBuffer unterminated = ByteBuffer.allocate(13).putInt(13).putInt(StartupPacket.PROTOCOL_3_0).put("user".getBytes()).put((byte) 'x').flip();
        assertThrows(ProtocolException.class, () -> decoder.startup(unterminated));
        assertEquals("28000", assertThrows(ProtocolException.class, () -> decoder.startup(startupMessage("database", "x"))).sqlState());
    }

    @Test
    void typedMessagesComeOutWholeAndInOrder() {
        ByteBuffer two = ByteBuffer.allocate(64);
        two.put((byte) 'Q').putInt(4 + 9).put("select 1".getBytes()).put((byte) 0);
        two.put((byte) 'X').putInt(4);
        two.flip();
        FrontendMessage query = decoder.message(two).orElseThrow();
        assertEquals('Q', (char) query.type());
        assertEquals("select 1", MessageDecoder.queryText(query));
        assertEquals('X', (char) decoder.message(two).orElseThrow().type());
        assertEquals(Optional.empty(), decoder.message(two));
        assertEquals(13 + 1, query.toWire().remaining(), "re-encodes byte for byte");
    }

    @Test
    void randomBytesOnlyEverRaiseProtocolExceptions() {
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            try {
                decoder.startup(ByteBuffer.wrap(bytes));
            } catch (ProtocolException expected) {
                // the only acceptable failure
            }
            try {
                ByteBuffer input = ByteBuffer.wrap(bytes);
                while (decoder.message(input).isPresent()) {
                    // drain
                }
            } catch (ProtocolException expected) {
                // the only acceptable failure
            }
        }
    }
}
