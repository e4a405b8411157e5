package dev.meridian.router.wire;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameReaderTest {

    /** A simple Query of {@code length} bytes in all ('Q', length, text, NUL). */
    private static Buffer query(int length) {
        Buffer message = Buffer.buffer(length).appendByte((byte) 'Q').appendInt(length - 1);
        byte[] text = "x".repeat(length - 6).getBytes(StandardCharsets.US_ASCII);
        return message.appendBytes(text).appendByte((byte) 0);
    }

    /** Delivers {@code bytes} in chunks as the socket would, keeping what is unread after each; false once refused. */
    private static boolean feed(FrameReader reader, Buffer bytes, int from, int to) {
        for (int at = from; at < to; at += 1000) {
            reader.append(bytes.getBuffer(at, Math.min(to, at + 1000)));
            assertNull(reader.nextFrontend());
            if (!reader.keepUnread()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void incompleteMessagesOfAllConnectionsShareOneLimit() {
        HeldBytes budget = new HeldBytes(10_000);
        FrameReader first = new FrameReader(new MessageDecoder(1 << 20), budget);
        FrameReader second = new FrameReader(new MessageDecoder(1 << 20), budget);
        Buffer big = query(8_000);

        assertTrue(feed(first, big, 0, 7_000));
        assertEquals(7_000, budget.held());
        assertFalse(feed(second, query(8_000), 0, 7_000), "the second would take the router past its limit");
        assertEquals(7_000, budget.held(), "what the refused one held went back");

        first.append(big.getBuffer(7_000, 8_000));
        assertNotNull(first.nextFrontend());
        assertTrue(first.keepUnread());
        assertEquals(0, budget.held(), "a message read whole holds nothing");
    }

    @Test
    void aClosedConnectionGivesBackWhatItHeld() {
        HeldBytes budget = new HeldBytes(10_000);
        FrameReader reader = new FrameReader(new MessageDecoder(1 << 20), budget);
        assertTrue(feed(reader, query(8_000), 0, 5_000));

        reader.release();

        assertEquals(0, budget.held());
    }

    @Test
    void aMessageInManyPiecesIsReadWholeAndIntact() {
        FrameReader reader = new FrameReader(new MessageDecoder(1 << 20));
        Buffer big = query(100_000).appendBuffer(query(10));
        assertTrue(feed(reader, big, 0, 99_000));
        reader.append(big.getBuffer(99_000, big.length()));

        FrontendMessage first = reader.nextFrontend();
        FrontendMessage second = reader.nextFrontend();

        assertEquals(99_995, first.body().remaining());
        assertEquals('x', first.body().get(99_993));
        assertEquals(5, second.body().remaining());
        assertNull(reader.nextFrontend());
    }
}
