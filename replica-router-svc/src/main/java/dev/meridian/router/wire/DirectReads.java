package dev.meridian.router.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * Reading a socket without Vert.x's copy per read. A NetSocket's data handler is given each chunk
 * as a fresh heap copy of Netty's pooled direct buffer, and writing that chunk onward copies it
 * into a direct buffer again: two allocations and two copies per proxied message. Here the
 * handler sees Netty's own buffer, valid only for the duration of the call (it is released
 * after), and a chunk forwarded whole leaves as a retained duplicate of it ({@link ChannelWriter}).
 *
 * <p>Whoever keeps bytes past the call copies them ({@link FrameReader#keepUnread()}). Pausing
 * works at the channel: Vert.x's {@code pause()} holds back its data handler's queue, which these
 * reads bypass. This relies on Vert.x 4 internals ({@code NetSocketInternal}, {@code
 * ConnectionBase}) as the Vert.x SQL clients do; a Vert.x 5 upgrade needs a look.
 */
public final class DirectReads {

    private DirectReads() {
    }

    /** Delivers what {@code socket} reads to {@code handler}, as a buffer valid only during the call. */
    public static void handle(NetSocket socket, Handler<Buffer> handler) {
        ((NetSocketInternal) socket).messageHandler(message -> {
            if (message instanceof ByteBuf chunk) {
                try {
                    handler.handle(Buffer.buffer(chunk));
                } finally {
                    chunk.release();
                }
            } else {
                ReferenceCountUtil.release(message);
            }
        });
    }

    /** Stops reading {@code socket} until {@link #resume}. */
    public static void pause(NetSocket socket) {
        ((ConnectionBase) socket).doPause();
    }

    public static void resume(NetSocket socket) {
        ((ConnectionBase) socket).doResume();
    }
}
