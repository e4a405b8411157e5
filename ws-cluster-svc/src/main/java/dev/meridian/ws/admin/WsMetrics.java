package dev.meridian.ws.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The node's meters ({@code meridian_ws_*}); tags never name a channel, user or client. */
public final class WsMetrics {

    private final MeterRegistry registry;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong subscriptions = new AtomicLong();
    private final Counter publicationsIn;
    private final Counter deliveries;
    private final Counter recovered;
    private final Counter unrecoverable;
    private final Counter slowDisconnects;
    private final Counter gapFills;
    private final Counter positionResets;
    private final Timer deliveryLatency;
    private final ConcurrentMap<Integer, Counter> disconnects = new ConcurrentHashMap<>();

    public WsMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("meridian_ws_connections", connections, AtomicLong::get).description("Open client connections").register(registry);
        Gauge.builder("meridian_ws_subscriptions", subscriptions, AtomicLong::get).description("Channel subscriptions").register(registry);
        publicationsIn = Counter.builder("meridian_ws_publications_in_total").description("Publications accepted by this node").register(registry);
        deliveries = Counter.builder("meridian_ws_deliveries_out_total").description("Publications queued to local subscribers").register(registry);
        recovered = Counter.builder("meridian_ws_recoveries_total").tag("outcome", "succeeded").register(registry);
        unrecoverable = Counter.builder("meridian_ws_recoveries_total").tag("outcome", "impossible").register(registry);
        slowDisconnects = Counter.builder("meridian_ws_slow_client_disconnects_total").description("Clients whose queue overflowed").register(registry);
        gapFills = Counter.builder("meridian_ws_gap_fills_total").description("Offset gaps filled from the channel stream").register(registry);
        positionResets = Counter.builder("meridian_ws_position_resets_total")
                .description("Channels whose local position was lost (subscribers told to resubscribe)").register(registry);
        deliveryLatency = Timer.builder("meridian_ws_delivery_latency").description("Publish to hand-off to a local subscriber")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed(int code) {
        connections.decrementAndGet();
        disconnects.computeIfAbsent(code, c -> Counter.builder("meridian_ws_disconnects_total").tag("code", Integer.toString(c))
                .register(registry)).increment();
    }

    public void subscribed() {
        subscriptions.incrementAndGet();
    }

    public void unsubscribed() {
        subscriptions.decrementAndGet();
    }

    public long subscriptions() {
        return subscriptions.get();
    }

    public void published() {
        publicationsIn.increment();
    }

    public void delivered(int count, long publishedMillis, long nowMillis) {
        deliveries.increment(count);
        if (publishedMillis > 0) {
            deliveryLatency.record(Math.max(0, nowMillis - publishedMillis), TimeUnit.MILLISECONDS);
        }
    }

    public void recovery(boolean succeeded) {
        (succeeded ? recovered : unrecoverable).increment();
    }

    public void slowClient() {
        slowDisconnects.increment();
    }

    public void gapFilled() {
        gapFills.increment();
    }

    public void positionReset() {
        positionResets.increment();
    }
}
