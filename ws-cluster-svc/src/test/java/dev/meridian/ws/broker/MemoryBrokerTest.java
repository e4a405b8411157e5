package dev.meridian.ws.broker;

import dev.meridian.ws.config.WsConfig.ChannelOptions;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryBrokerTest {

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");

        public ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(ZoneId zone) { return this; }
        public Instant instant() { return now; }
    }

    private record Options(int historySize, Duration historyTtl) implements ChannelOptions {
        public boolean publish() { return true; }
        public boolean presence() { return false; }
        public boolean history() { return true; }
        public boolean joinLeave() { return false; }
        public boolean tokenRequired() { return false; }
        public boolean anonymous() { return true; }
    }

    private final MovableClock clock = new MovableClock();
    private final List<Publication> delivered = new ArrayList<>();
    private final MemoryBroker broker = new MemoryBroker(clock, new Broker.Listener() {
        public void onPublication(String channel, String epoch, Publication publication) { delivered.add(publication); }
        public void onJoin(String channel, String info) { }
        public void onLeave(String channel, String info) { }
        public void onRelinked() { }
    });
    private final Options options = new Options(3, Duration.ofMinutes(5));

    @Test
    void offsetsAreContiguousAndHistoryKeepsTheNewest() {
        for (int i = 0; i < 5; i++) {
            broker.publish("news", Integer.toString(i), null, options).await().indefinitely();
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), delivered.stream().map(Publication::offset).toList());
        Broker.HistoryPage page = broker.latest("news", 10, options).await().indefinitely();
        assertEquals(5, page.position().offset());
        assertEquals(List.of(3L, 4L, 5L), page.publications().stream().map(Publication::offset).toList());
    }

    @Test
    void idleChannelsAreForgottenAndComeBackInANewEpoch() {
        String epoch = broker.publish("old", "1", null, options).await().indefinitely().epoch();
        clock.now = clock.now.plus(Duration.ofMinutes(6));
        for (int i = 0; i < 1100; i++) {
            broker.position("busy-" + (i % 10), options).await().indefinitely();
        }
        assertTrue(broker.channels() <= 11, "idle channels are swept: " + broker.channels());
        StreamPosition again = broker.position("old", options).await().indefinitely();
        assertEquals(0, again.offset());
        assertNotEquals(epoch, again.epoch(), "history lost means a new epoch");
    }
}
