package dev.meridian.ws.session;

import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection's bounded send queue. Any thread may offer a frame; the connection's event loop
 * writes them, several per WebSocket message (newline-separated, as the JSON protocol allows), and
 * waits for the socket to drain before writing more. When the queue outgrows its bound the client
 * is too slow: {@code onOverflow} disconnects it with a reconnect code, so it recovers rather than
 * silently missing messages.
 */
final class Outbound {

    private static final int MAX_BATCH_CHARS = 64 * 1024;

    private final ServerWebSocket socket;
    private final Context context;
    private final long maxChars;
    private final Runnable onOverflow;
    private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedChars = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean closed;

    Outbound(ServerWebSocket socket, Context context, long maxChars, Runnable onOverflow) {
        this.socket = socket;
        this.context = context;
        this.maxChars = maxChars;
        this.onOverflow = onOverflow;
        socket.drainHandler(v -> flush());
    }

    void offer(String frame) {
        if (enqueue(frame)) {
            context.runOnContext(v -> flush());
        }
    }

    /**
     * Queues a frame without waking the connection's loop. True when the caller must see to a
     * {@link #flush()} on that loop: fan-out uses it to wake each loop once for all its connections.
     */
    boolean enqueue(String frame) {
        if (closed) {
            return false;
        }
        if (queuedChars.addAndGet(frame.length()) > maxChars) {
            closed = true;
            queue.clear();
            context.runOnContext(v -> onOverflow.run());
            return false;
        }
        queue.add(frame);
        return scheduled.compareAndSet(false, true);
    }

    void close() {
        closed = true;
        queue.clear();
    }

    /** Writes what waits; on the connection's event loop only. */
    void flush() {
        scheduled.set(false);
        while (!closed && !queue.isEmpty()) {
            if (socket.writeQueueFull()) {
                return;
            }
            StringBuilder batch = new StringBuilder();
            String frame;
            while ((frame = queue.peek()) != null && (batch.length() == 0 || batch.length() + frame.length() < MAX_BATCH_CHARS)) {
                queue.poll();
                if (batch.length() > 0) {
                    batch.append('\n');
                }
                batch.append(frame);
                queuedChars.addAndGet(-frame.length());
            }
            socket.writeTextMessage(batch.toString());
        }
    }
}
