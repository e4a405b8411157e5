package dev.meridian.ws.hub;

import dev.meridian.ws.admin.WsMetrics;
import dev.meridian.ws.broker.Broker;
import dev.meridian.ws.broker.Publication;
import dev.meridian.ws.protocol.Replies;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * This node's channel hubs, all confined to one Vert.x context so a channel's deliveries, joins and
 * gap fills never race. Receives what the brokers fan out, checks positions periodically, refreshes
 * presence of local subscribers.
 */
public final class Hubs {

    private final Vertx vertx;
    private final Context context;
    private final Replies replies;
    private final WsMetrics metrics;
    private final Clock clock;
    private final Map<String, ChannelHub> hubs = new HashMap<>();
    private volatile Supplier<Broker> broker;
    private volatile int channelCount;
    private final List<Long> timers = new ArrayList<>();

    public Hubs(Vertx vertx, Replies replies, WsMetrics metrics, Clock clock) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.replies = replies;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Starts the periodic position checks and presence refreshes; {@code broker} names the broker new hubs use. */
    public void start(Supplier<Broker> broker, Duration positionCheck, Duration presenceRefresh) {
        this.broker = broker;
        context.runOnContext(v -> {
            timers.add(vertx.setPeriodic(positionCheck.toMillis(), id -> hubs.values().forEach(ChannelHub::checkPosition)));
            timers.add(vertx.setPeriodic(presenceRefresh.toMillis(), id -> refreshPresence()));
        });
    }

    public void stop() {
        timers.forEach(vertx::cancelTimer);
    }

    /** The events one broker delivers; ignored for hubs that follow another broker (after a flag change). */
    public Broker.Listener listener(Supplier<Broker> source) {
        return new Broker.Listener() {
            @Override
            public void onPublication(String channel, String epoch, Publication publication) {
                onContext(() -> {
                    ChannelHub hub = hubs.get(channel);
                    if (hub != null && hub.brokerInUse() == source.get()) {
                        hub.onPublication(epoch, publication);
                    }
                });
            }

            @Override
            public void onJoin(String channel, String clientInfo) {
                presenceEvent(channel, source, () -> replies.joinPush(channel, clientInfo));
            }

            @Override
            public void onLeave(String channel, String clientInfo) {
                presenceEvent(channel, source, () -> replies.leavePush(channel, clientInfo));
            }

            @Override
            public void onRelinked() {
                onContext(() -> hubs.values().stream().filter(h -> h.brokerInUse() == source.get()).forEach(ChannelHub::checkPosition));
            }
        };
    }

    private void presenceEvent(String channel, Supplier<Broker> source, Supplier<String> frame) {
        onContext(() -> {
            ChannelHub hub = hubs.get(channel);
            if (hub != null && hub.brokerInUse() == source.get()) {
                hub.onPresenceEvent(frame.get());
            }
        });
    }

    public void join(JoinRequest request) {
        onContext(() -> {
            ChannelHub hub = hubs.get(request.channel());
            if (hub == null) {
                hub = new ChannelHub(request.channel(), request.options(), broker.get(), this);
                hubs.put(request.channel(), hub);
                channelCount = hubs.size();
                hub.join(request);
                hub.activate();
            } else {
                hub.join(request);
            }
        });
    }

    public void leave(Subscriber subscriber, String channel) {
        onContext(() -> {
            ChannelHub hub = hubs.get(channel);
            if (hub != null) {
                hub.leave(subscriber);
            }
        });
    }

    /** Every channel resubscribes its clients: used when the broker changes (the websocket-cluster flag). */
    public void resetAll(String reason) {
        onContext(() -> new ArrayList<>(hubs.values()).forEach(h -> h.reset(reason)));
    }

    void closed(ChannelHub hub) {
        if (hubs.get(hub.channel()) == hub) {
            hubs.remove(hub.channel());
            channelCount = hubs.size();
        }
        hub.brokerInUse().unfollow(hub.channel()).subscribe().with(ok -> { },
                e -> Log.debugf("unfollow failed channel=%s reason=%s", hub.channel(), e.getMessage()));
    }

    private void refreshPresence() {
        for (ChannelHub hub : hubs.values()) {
            if (hub.options().presence() || hub.options().joinLeave()) {
                hub.brokerInUse().presenceAdd(hub.channel(), hub.presenceEntries()).subscribe().with(ok -> { }, e -> { });
            }
        }
    }

    /** Runs {@code action} on the hubs' context after {@code millis}. */
    void later(long millis, Runnable action) {
        onContext(() -> vertx.setTimer(millis, id -> action.run()));
    }

    /** Runs a broker call and continues on the hubs' context. */
    <T> void onHub(Uni<T> call, Consumer<T> onItem, Consumer<Throwable> onFailure) {
        call.subscribe().with(item -> onContext(() -> onItem.accept(item)), failure -> onContext(() -> onFailure.accept(failure)));
    }

    private void onContext(Runnable action) {
        if (Vertx.currentContext() == context) {
            action.run();
        } else {
            context.runOnContext(v -> action.run());
        }
    }

    public int channels() {
        return channelCount;
    }

    Replies replies() {
        return replies;
    }

    WsMetrics metrics() {
        return metrics;
    }

    Clock clock() {
        return clock;
    }
}
