package dev.meridian.platform.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The flushes asked for inside one batch reach the socket end of the pipeline once, after it, with every write in order. */
class CoalescedFlushesTest {

    /** Stands for the socket end: counts the flushes that get through. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int flushes;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    private record Connection(EmbeddedChannel channel, FlushCounter counter) {
        void answer(String message) {
            channel.write(message);
            channel.flush();
        }
    }

    private static Connection connection() {
        FlushCounter counter = new FlushCounter();
        EmbeddedChannel channel = new EmbeddedChannel(counter);
        CoalescedFlushes.install(channel);
        CoalescedFlushes.install(channel);
        return new Connection(channel, counter);
    }

    @Test
    void flushesInsideABatchLeaveOnceAtItsEndInWriteOrder() {
        // given
        Connection a = connection();
        Connection b = connection();

        // when: three answers on one connection and one on another inside one batch
        CoalescedFlushes.during(() -> {
            a.answer("a1");
            a.answer("a2");
            b.answer("b1");
            a.answer("a3");
            // then (inside): nothing has left yet
            assertNull(a.channel().readOutbound());
            assertEquals(0, a.counter().flushes + b.counter().flushes);
        });

        // then: one flush per connection, every write there, in order
        assertEquals(1, a.counter().flushes);
        assertEquals(1, b.counter().flushes);
        assertEquals("a1", a.channel().readOutbound());
        assertEquals("a2", a.channel().readOutbound());
        assertEquals("a3", a.channel().readOutbound());
        assertEquals("b1", b.channel().readOutbound());
    }

    @Test
    void outsideABatchEveryFlushGoesThroughAtOnce() {
        Connection a = connection();

        a.answer("one");
        a.answer("two");

        assertEquals(2, a.counter().flushes);
        assertEquals("one", a.channel().readOutbound());
    }

    @Test
    void aNestedBatchJoinsTheOuterOne() {
        Connection a = connection();

        CoalescedFlushes.during(() -> {
            a.answer("outer");
            CoalescedFlushes.during(() -> a.answer("inner"));
            assertEquals(0, a.counter().flushes);
        });

        assertEquals(1, a.counter().flushes);
    }

    @Test
    void aBatchThatThrowsStillFlushesWhatItWrote() {
        Connection a = connection();

        assertThrows(IllegalStateException.class, () -> CoalescedFlushes.during(() -> {
            a.answer("before the failure");
            throw new IllegalStateException("a caller's callback failed");
        }));

        assertEquals(1, a.counter().flushes);
        assertEquals("before the failure", a.channel().readOutbound());
        // and the next flush outside a batch is not held
        a.answer("after");
        assertEquals(2, a.counter().flushes);
    }

    @Test
    void aBatchOpenOnAnotherThreadHoldsNothingHere() throws Exception {
        Connection a = connection();
        CompletableFuture<Integer> flushesSeenInside = new CompletableFuture<>();

        CoalescedFlushes.during(() -> {
            Thread other = new Thread(() -> {
                a.answer("from another thread");
                flushesSeenInside.complete(a.counter().flushes);
            });
            other.start();
            try {
                other.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertEquals(1, flushesSeenInside.get(5, TimeUnit.SECONDS));
    }
}
