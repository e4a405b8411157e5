package dev.meridian.glb.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.quarkus.logging.Log;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * DNS over UDP on Netty channels registered on the Vert.x event loops. Where epoll is available
 * the port is bound by several sockets with SO_REUSEPORT (the kernel spreads datagrams across
 * them, one event loop each), reads take up to {@link #DATAGRAMS_PER_READ} queries per recvmmsg
 * call, and the answers to one read are flushed together, which Netty sends with one sendmmsg:
 * a UDP server's cost is mostly system calls, and this makes them one per batch instead of two
 * per query. Elsewhere (NIO) one socket reads and writes one datagram per call.
 */
final class UdpDnsTransport {

    /**
     * Room per datagram in a batched read. A longer query is cut short and answered FORMERR;
     * EDNS clients are told 1232 bytes (DNS Flag Day 2020) and real queries are far smaller.
     */
    static final int MAX_QUERY_BYTES = 4096;
    static final int DATAGRAMS_PER_READ = 16;

    private final DnsResponder responder;
    private final List<Channel> channels = new ArrayList<>();

    UdpDnsTransport(DnsResponder responder) {
        this.responder = responder;
    }

    /** Binds {@code sockets} sockets (0: one per processor) and returns how many were bound. */
    int bind(EventLoopGroup loops, String host, int port, int sockets) {
        // The channel type must match the loops': Vert.x runs epoll loops only when its native transport is on.
        boolean epoll = Epoll.isAvailable() && loops instanceof EpollEventLoopGroup;
        int count = !epoll ? 1 : sockets > 0 ? sockets : Runtime.getRuntime().availableProcessors();
        Bootstrap bootstrap = new Bootstrap().group(loops)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 1 << 20)
                .handler(new QueryHandler(responder));
        if (epoll) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true)
                    .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_QUERY_BYTES)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_QUERY_BYTES * DATAGRAMS_PER_READ));
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_QUERY_BYTES));
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        for (int i = 0; i < count; i++) {
            // Each bind registers on the group's next event loop.
            Channel channel = bootstrap.bind(address).syncUninterruptibly().channel();
            channels.add(channel);
        }
        Log.debugf("UDP DNS on %s with %s, %d socket(s)", address, epoll ? "epoll (recvmmsg/sendmmsg)" : "NIO", count);
        return count;
    }

    void close() {
        channels.forEach(channel -> channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS));
        channels.clear();
    }

    @ChannelHandler.Sharable
    private static final class QueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final DnsResponder responder;

        QueryHandler(DnsResponder responder) {
            this.responder = responder;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            InetSocketAddress sender = packet.sender();
            byte[] response;
            try {
                response = responder.respond(ByteBufUtil.getBytes(packet.content()), sender.getAddress(), false);
            } catch (RuntimeException e) {
                Log.debugf("dropped a UDP query: %s", e.toString());
                return;
            }
            if (response != null) {
                // Written now, flushed once the whole read has been answered.
                ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(response), sender), ctx.voidPromise());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A send to an unreachable client (ICMP) or similar: that client's problem, not the socket's.
            Log.debugf("UDP DNS socket: %s", cause.toString());
        }
    }
}
