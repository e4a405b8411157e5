package dev.meridian.router.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
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

    /**
     * Smallest read buffer. Netty sizes each read by the last few, and after a run of short
     * messages (pgbench's UPDATEs, small replies) it guesses 64 to 112 bytes: the next longer
     * message then takes two reads, and its first part is copied to wait for the second (once per
     * pgbench tpcb-like transaction, for its INSERT; every time for an application's longer
     * queries after short ones). A pooled 2 KiB buffer costs no more to take than a 64-byte one
     * and is released after the read, so the floor is 2 KiB; large results still grow it to 64 KiB.
     */
    static final int MIN_READ_BYTES = 2048;
    static final int MAX_READ_BYTES = 64 * 1024;
    /** Shareable: each channel keeps its own sizing state in the handle the allocator gives it. */
    private static final AdaptiveRecvByteBufAllocator READ_SIZES =
            new AdaptiveRecvByteBufAllocator(MIN_READ_BYTES, MIN_READ_BYTES, MAX_READ_BYTES);

    /** Delivers what {@code socket} reads to {@code handler}, as a buffer valid only during the call. */
    public static void handle(NetSocket socket, Handler<Buffer> handler) {
        NetSocketInternal internal = (NetSocketInternal) socket;
        internal.channelHandlerContext().channel().config().setRecvByteBufAllocator(READ_SIZES);
        internal.messageHandler(message -> {
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
