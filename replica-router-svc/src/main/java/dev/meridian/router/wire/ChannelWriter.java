package dev.meridian.router.wire;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * Writes proxied bytes to a socket's channel without Vert.x's write path. {@code NetSocket.write}
 * takes the socket's lock and allocates two Vert.x promises and a Netty promise with a listener
 * per call, to tell a caller that never asks when its write completed; a proxy writes twice per
 * statement. From the socket's own event loop the bytes go straight to the channel with a void
 * promise; a failed write closes the channel, which the socket's close handler reports as before.
 *
 * <p>A buffer is written without a copy: it holds its own reference to the bytes (so a chunk from
 * {@link DirectReads} may be released after the call), and must not be changed after. Off the
 * event loop the write goes through Vert.x, which orders it behind earlier off-loop writes; the
 * router writes its proxied traffic only from the event loop, so the two paths do not interleave.
 * Uses Vert.x 4 internals ({@code NetSocketInternal}, {@code BufferImpl}); a Vert.x 5 upgrade needs a look.
 */
public final class ChannelWriter {

    private final NetSocket socket;
    private final ChannelHandlerContext context;
    private final ChannelPromise noCompletion;

    public ChannelWriter(NetSocket socket) {
        this.socket = socket;
        this.context = ((NetSocketInternal) socket).channelHandlerContext();
        // Not firing exceptionCaught on failure, as Vert.x's own void promise: the close handler reports it.
        this.noCompletion = new VoidChannelPromise(context.channel(), false);
    }

    public void write(Buffer data) {
        if (data instanceof BufferImpl impl && context.executor().inEventLoop()) {
            context.writeAndFlush(impl.byteBuf().retainedDuplicate(), noCompletion);
        } else {
            socket.write(data);
        }
    }

    /**
     * The socket's outbound buffer is above its high-water mark: stop feeding it until it drains.
     * A closed socket is not full (it is not writable either, but will never drain).
     */
    public boolean full() {
        return !context.channel().isWritable() && context.channel().isActive();
    }
}
