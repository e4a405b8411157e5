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
    private final Buffer empty = Buffer.buffer(0);
    private Buffer buffer = empty;
    private int position;
    private ByteBuffer view;
    private int frameStart;
    private int frameLength;

    public FrameReader(MessageDecoder decoder) {
        this.decoder = decoder;
    }

    public void append(Buffer data) {
        if (view != null) {
            position += view.position();
            view = null;
        }
        if (position == buffer.length()) {
            buffer = data;
            position = 0;
        } else {
            if (position > 0) {
                buffer = buffer.getBuffer(position, buffer.length());
                position = 0;
            }
            buffer.appendBuffer(data);
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

    /** Bytes of the startup phase, which has untyped packets: the unread bytes as a buffer view. */
    public ByteBuffer unread() {
        if (view == null) {
            view = buffer.getByteBuf().nioBuffer(position, buffer.length() - position);
        }
        return view;
    }

    /** After reading from {@link #unread()} directly: marks what was consumed. */
    public void consumedUnread() {
        if (view != null) {
            position += view.position();
            view = null;
        }
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
     */
    public void keepUnread() {
        if (view != null) {
            position += view.position();
            view = null;
        }
        int unread = buffer.length() - position;
        buffer = unread == 0 ? empty : Buffer.buffer(unread).appendBuffer(buffer, position, unread);
        position = 0;
    }

    /** Bytes waiting for the rest of their message. */
    public int buffered() {
        return view != null ? view.remaining() : buffer.length() - position;
    }
}
