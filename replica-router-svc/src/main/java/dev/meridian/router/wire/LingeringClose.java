package dev.meridian.router.wire;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * Closing a connection whose peer is still sending, so that it reads what was written to it last.
 * A socket closed with unread bytes makes the kernel answer with a reset instead of an orderly end,
 * and a reset can reach the client before it has read the router's final ErrorResponse (the
 * 53200 or 08P01 that explains why), which it then never sees: the client in the middle of a large
 * message would get "connection reset" instead of the reason. Here the sending side ends first,
 * what arrives after is read and dropped (the caller ignores it), and the socket closes when the
 * peer closes its side or after {@code lingerMillis}. Uses Vert.x 4 internals ({@code NetSocketInternal}).
 */
public final class LingeringClose {

    private LingeringClose() {
    }

    public static void close(NetSocket socket, Vertx vertx, long lingerMillis) {
        Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            socket.close();
            return;
        }
        long timer = vertx.setTimer(lingerMillis, id -> socket.close());
        channel.closeFuture().addListener(closed -> vertx.cancelTimer(timer));
        // Only once everything written before is on the wire: shutting the output down drops what is still queued.
        channel.eventLoop().execute(() -> channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (!written.isSuccess()) {
                socket.close();
                return;
            }
            duplex.shutdownOutput().addListener(done -> {
                if (!done.isSuccess()) {
                    socket.close();
                }
            });
        }));
    }
}
