package dev.meridian.platform.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

import java.util.ArrayList;
import java.util.List;

/**
 * Holds back the flushes of the connections it is installed on while {@link #during(Runnable)}
 * runs on their event loop, then flushes each of them once. A Redis reply that completes many
 * requests at once (a pipelined batch) would otherwise flush every answer on its own: an HTTP/2
 * connection carrying 30 of those answers made 60 {@code writev} calls where 1 carries them all.
 *
 * <p>Nothing is delayed beyond the task that wrote it and nothing is reordered: writes pass
 * through untouched, only the flush at the end of the batch is shared, on the same thread in the
 * same turn. Outside {@code during}, and for writes made from any other thread, flushes go through
 * at once. The handler sits at the application end of the pipeline, so it sees the flushes the
 * protocol layer (Vert.x's HTTP/2 handler) is asked for and holds back that layer's own flush too.
 */
@ChannelHandler.Sharable
public final class CoalescedFlushes extends ChannelOutboundHandlerAdapter {

    static final String NAME = "meridian-coalesced-flushes";
    private static final CoalescedFlushes INSTANCE = new CoalescedFlushes();

    private static final class Batch {
        boolean open;
        final List<ChannelHandlerContext> held = new ArrayList<>();
    }

    private static final FastThreadLocal<Batch> BATCH = new FastThreadLocal<>() {
        @Override
        protected Batch initialValue() {
            return new Batch();
        }
    };

    private CoalescedFlushes() {
    }

    /** Installs the handler on a Vert.x connection's pipeline, once; call it on the connection's event loop. */
    public static void install(HttpConnection connection) {
        if (connection instanceof ConnectionBase base) {
            install(base.channel());
        }
    }

    static void install(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(NAME) == null) {
            pipeline.addLast(NAME, INSTANCE);
        }
    }

    /**
     * Runs {@code work} (typically: completing the callers of one batch reply) with the flushes of
     * this thread's connections held back, then flushes each connection that asked, once. Nested
     * calls join the outer batch.
     */
    public static void during(Runnable work) {
        Batch batch = BATCH.get();
        if (batch.open) {
            work.run();
            return;
        }
        batch.open = true;
        try {
            work.run();
        } finally {
            batch.open = false;
            List<ChannelHandlerContext> held = batch.held;
            for (int i = 0; i < held.size(); i++) {
                held.get(i).flush();
            }
            held.clear();
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        // Handler methods run on the channel's event loop; the batch is that thread's own.
        Batch batch = BATCH.get();
        if (!batch.open) {
            ctx.flush();
        } else if (!batch.held.contains(ctx)) {
            batch.held.add(ctx);
        }
    }
}
