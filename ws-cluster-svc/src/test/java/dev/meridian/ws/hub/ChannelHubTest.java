package dev.meridian.ws.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.ws.admin.WsMetrics;
import dev.meridian.ws.broker.Broker;
import dev.meridian.ws.broker.MemoryBroker;
import dev.meridian.ws.broker.Publication;
import dev.meridian.ws.config.WsConfig.ChannelOptions;
import dev.meridian.ws.protocol.Replies;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hub's ordering rules against a broker whose fan-out loses chosen publications (as pub/sub
 * does when a node is frozen or cut off): gaps are filled from history, a lost tail is caught by
 * the position check, and history that no longer covers the gap makes subscribers resubscribe.
 */
class ChannelHubTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Vertx vertx = Vertx.vertx();
    private final Set<Long> dropped = ConcurrentHashMap.newKeySet();

    @AfterEach
    void close() {
        vertx.close();
    }

    private record Options(int historySize) implements ChannelOptions {
        public boolean publish() { return true; }
        public boolean presence() { return false; }
        public boolean history() { return true; }
        public boolean joinLeave() { return false; }
        public Duration historyTtl() { return Duration.ofMinutes(5); }
        public boolean tokenRequired() { return false; }
        public boolean anonymous() { return true; }
    }

    private static final class Recorder implements Subscriber {
        final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        final List<Integer> lostCodes = new CopyOnWriteArrayList<>();

        public String clientId() { return "c1"; }
        public String clientInfo() { return "{\"user\":\"\",\"client\":\"c1\"}"; }
        public void send(String frame) {
            try {
                frames.add(JSON.readTree(frame));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        public void subscriptionLost(String channel, ChannelHub hub, int code, String reason) { lostCodes.add(code); }
        public java.util.concurrent.Executor enqueue(String frame) {
            send(frame);
            return null;
        }
        public void flush() { }

        List<Long> offsets(int count) throws InterruptedException {
            List<Long> offsets = new ArrayList<>();
            while (offsets.size() < count) {
                JsonNode frame = frames.poll(5, TimeUnit.SECONDS);
                if (frame == null) {
                    break;
                }
                if (frame.path("push").has("pub")) {
                    offsets.add(frame.path("push").path("pub").path("offset").asLong());
                }
            }
            return offsets;
        }
    }

    private MemoryBroker broker;

    private Hubs hubs(Duration positionCheck) {
        Hubs hubs = new Hubs(vertx, new Replies(JSON), new WsMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
        Broker.Listener real = hubs.listener(() -> broker);
        broker = new MemoryBroker(Clock.systemUTC(), new Broker.Listener() {
            public void onPublication(String channel, String epoch, Publication publication) {
                if (!dropped.contains(publication.offset())) {
                    real.onPublication(channel, epoch, publication);
                }
            }
            public void onJoin(String channel, String info) { }
            public void onLeave(String channel, String info) { }
            public void onRelinked() { }
        });
        hubs.start(() -> broker, positionCheck, Duration.ofMinutes(1));
        return hubs;
    }

    private Recorder subscribe(Hubs hubs, Options options) throws InterruptedException {
        Recorder recorder = new Recorder();
        LinkedBlockingQueue<Object> admitted = new LinkedBlockingQueue<>();
        hubs.join(new JoinRequest(recorder, "news", options, 1, false, 0, "", false, null,
                (hub, failure) -> admitted.add(failure == null ? hub : failure)));
        assertTrue(admitted.poll(5, TimeUnit.SECONDS) instanceof ChannelHub);
        assertNotNull(recorder.frames.poll(5, TimeUnit.SECONDS), "the subscribe reply");
        return recorder;
    }

    private void publish(int count, Options options) {
        for (int i = 0; i < count; i++) {
            broker.publish("news", "{\"n\":" + i + "}", null, options).await().indefinitely();
        }
    }

    @Test
    void aGapIsFilledFromHistoryBeforeLaterPublications() throws Exception {
        Options options = new Options(100);
        Recorder recorder = subscribe(hubs(Duration.ofMinutes(1)), options);
        dropped.addAll(List.of(2L, 3L));
        publish(5, options);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), recorder.offsets(5));
    }

    @Test
    void aLostTailIsCaughtByThePositionCheck() throws Exception {
        Options options = new Options(100);
        Recorder recorder = subscribe(hubs(Duration.ofMillis(100)), options);
        dropped.addAll(List.of(3L, 4L));
        publish(4, options);
        assertEquals(List.of(1L, 2L, 3L, 4L), recorder.offsets(4));
    }

    @Test
    void aGapHistoryNoLongerHoldsMakesSubscribersResubscribe() throws Exception {
        Options options = new Options(2);
        Recorder recorder = subscribe(hubs(Duration.ofMinutes(1)), options);
        dropped.addAll(List.of(1L, 2L, 3L));
        publish(4, options);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !recorder.lostCodes.isEmpty());
        assertEquals(List.of(ChannelHub.RESUBSCRIBE_CODE), recorder.lostCodes);
        assertTrue(recorder.frames.stream().noneMatch(f -> f.path("push").has("pub")), "nothing delivered out of order");
    }

    @Test
    void contiguityCheck() {
        List<Publication> three = List.of(new Publication(4, "1", null, 0), new Publication(5, "1", null, 0), new Publication(6, "1", null, 0));
        assertTrue(ChannelHub.contiguous(three, 3, 6));
        assertTrue(!ChannelHub.contiguous(three, 2, 6));
        assertTrue(!ChannelHub.contiguous(three, 3, 7));
    }
}
