package dev.meridian.router.wire;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;

/**
 * Accumulates bytes from one socket and hands out complete typed messages in order. A message's
 * body is a view into the accumulated bytes, valid until the next {@link #append}; its raw frame
 * (type, length, body) can be copied onward with {@link #frameStart()} and {@link #frameLength()}
 * without re-encoding.
 */
public final class FrameReader {

    private final MessageDecoder decoder;
    private final HeldBytes budget;
    private final Buffer empty = Buffer.buffer(0);
    private Buffer buffer = empty;
    /** The buffer is this reader's own copy (not the caller's chunk), so it may grow and stay. */
    private boolean owned;
    /** Bytes of {@link #budget} this reader holds. */
    private long charged;
    private int position;
    /** Bytes of a message being passed through (not held), still to come; see {@link #beginPassing}. */
    private long passing;
    private boolean passingDropped;
    private int passStart;
    private ByteBuffer view;
    private int frameStart;
    private int frameLength;

    /** A reader whose held bytes count against nothing (connections in their startup handshake). */
    public FrameReader(MessageDecoder decoder) {
        this(decoder, null);
    }

    /** A reader whose incomplete messages count against {@code budget} ({@link #keepUnread()}). */
    public FrameReader(MessageDecoder decoder, HeldBytes budget) {
        this.decoder = decoder;
        this.budget = budget;
    }

    public void append(Buffer data) {
        settle();
        if (position == buffer.length()) {
            buffer = data;
            owned = false;
            position = 0;
        } else if (owned) {
            // A message arriving in many reads is appended to one growing copy, not copied whole each time.
            buffer.appendBuffer(data);
        } else {
            buffer = buffer.getBuffer(position, buffer.length()).appendBuffer(data);
            owned = true;
            position = 0;
        }
    }

    /** The next complete backend message, or null when more bytes are needed. */
    public BackendMessage nextBackend() {
        int before = open();
        return found(before, decoder.nextBackend(view));
    }

    /** The next complete frontend message (type checked), or null when more bytes are needed. */
    public FrontendMessage nextFrontend() {
        int before = open();
        return found(before, decoder.nextFrontend(view));
    }

    /** The view's position before reading the next frame. */
    private int open() {
        if (view == null) {
            view = buffer.getByteBuf().nioBuffer(position, buffer.length() - position);
        }
        return view.position();
    }

    private <M> M found(int before, M message) {
        if (message != null) {
            frameStart = position + before;
            frameLength = view.position() - before;
        } else {
            position += before;
            view = null;
        }
        return message;
    }

    /** The type of the message at the front, or 0 when fewer than 5 bytes are there. */
    public byte peekType() {
        int at = readAt();
        return buffer.length() - at >= 5 ? buffer.getByte(at) : 0;
    }

    /** The length field (including itself) of the message at the front, or -1 when fewer than 5 bytes are there. */
    public long peekLength() {
        int at = readAt();
        return buffer.length() - at >= 5 ? Integer.toUnsignedLong(buffer.getInt(at + 1)) : -1;
    }

    /** Where the next message starts in the buffer (the view, kept for the next message, is not given up). */
    private int readAt() {
        return view == null ? position : position + view.position();
    }

    /**
     * The message at the front ({@code frameBytes} in all, type byte included) is not held whole:
     * its bytes are handed out as they arrive by {@link #pass()}, to be forwarded or, if {@code
     * dropped}, discarded. For large rows and COPY data, whose content the router never needs.
     */
    public void beginPassing(long frameBytes, boolean dropped) {
        passing = frameBytes;
        passingDropped = dropped;
    }

    /** A message is being passed through and has bytes still to come. */
    public boolean passing() {
        return passing > 0;
    }

    public boolean passingDropped() {
        return passingDropped;
    }

    /** Consumes what is here of the message being passed through: that many bytes from {@link #passStart()}. */
    public int pass() {
        settle();
        int here = (int) Math.min(passing, buffer.length() - position);
        passStart = position;
        position += here;
        passing -= here;
        return here;
    }

    /** Where the bytes of the last {@link #pass()} start in {@link #buffer()}. */
    public int passStart() {
        return passStart;
    }

    /** Folds the view's progress into the position, so the buffer can be read at it directly. */
    private void settle() {
        if (view != null) {
            position += view.position();
            view = null;
        }
    }

    /** Bytes of the startup phase, which has untyped packets: the unread bytes as a buffer view. */
    public ByteBuffer unread() {
        if (view == null) {
            view = buffer.getByteBuf().nioBuffer(position, buffer.length() - position);
        }
        return view;
    }

    /** After reading from {@link #unread()} directly: marks what was consumed. */
    public void consumedUnread() {
        settle();
    }

    public boolean hasUnread() {
        return view != null ? view.hasRemaining() : position < buffer.length();
    }

    public Buffer buffer() {
        return buffer;
    }

    public int frameStart() {
        return frameStart;
    }

    public int frameLength() {
        return frameLength;
    }

    /**
     * The bytes given to {@link #append} stop being valid ({@link DirectReads}): what is still unread
     * is copied, what was read is dropped. Message views handed out before are invalid after this.
     * False, with the unread bytes dropped, when keeping them would take the router past its limit
     * on held bytes: the caller ends the connection (53200).
     */
    public boolean keepUnread() {
        settle();
        int unread = buffer.length() - position;
        if (!charge(unread)) {
            dropUnread();
            return false;
        }
        if (unread == 0) {
            dropUnread();
        } else if (!owned || position > buffer.length() / 2) {
            // Compacted once most of a copy has been read; a copy kept growing otherwise.
            buffer = Buffer.buffer(Math.max(unread, 2048)).appendBuffer(buffer, position, unread);
            owned = true;
            position = 0;
        }
        return true;
    }

    /** Holds {@code bytes} of the budget in place of what was held; false if the budget has not that much left. */
    private boolean charge(long bytes) {
        if (budget == null || bytes == charged) {
            return true;
        }
        if (bytes > charged && !budget.tryHold(bytes - charged)) {
            budget.release(charged);
            charged = 0;
            return false;
        }
        if (bytes < charged) {
            budget.release(charged - bytes);
        }
        charged = bytes;
        return true;
    }

    /** The connection is gone: what it held goes back to the budget. */
    public void release() {
        if (budget != null && charged > 0) {
            budget.release(charged);
        }
        charged = 0;
        view = null;
        dropUnread();
    }

    /** Nothing unread: the (possibly large) copy goes, the shared empty buffer takes its place. */
    private void dropUnread() {
        buffer = empty;
        owned = false;
        position = 0;
    }

    /** Bytes waiting for the rest of their message. */
    public int buffered() {
        return view != null ? view.remaining() : buffer.length() - position;
    }
}
