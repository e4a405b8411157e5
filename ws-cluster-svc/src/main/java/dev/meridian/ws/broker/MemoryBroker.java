package dev.meridian.ws.broker;

import dev.meridian.ws.config.WsConfig.ChannelOptions;
import io.smallrye.mutiny.Uni;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Channels kept by this node alone: history in memory with the same offset and epoch rules as
 * Redis, fan-out straight to this node's listener. Serves a single node with no Redis, and every
 * node while the {@code websocket-cluster} flag is off.
 */
public final class MemoryBroker implements Broker {

    private final Map<String, ChannelLog> logs = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> presence = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Listener listener;
    private final java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();

    public MemoryBroker(Clock clock, Listener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    /** One channel's history. Guarded by its own monitor: publishers on several event loops append to it. */
    private final class ChannelLog {
        final String epoch = UUID.randomUUID().toString().substring(0, 8);
        final Deque<Publication> kept = new ArrayDeque<>();
        long top;
        long lastPublishMillis;
        long lastUseMillis = clock.millis();
        long ttlMillis = Long.MAX_VALUE;

        synchronized Publication append(String data, String info, ChannelOptions options) {
            expire(options);
            lastUseMillis = clock.millis();
            Publication publication = new Publication(++top, data, info, clock.millis());
            lastPublishMillis = publication.timeMillis();
            if (options.historySize() > 0) {
                kept.addLast(publication);
                while (kept.size() > options.historySize()) {
                    kept.removeFirst();
                }
            }
            return publication;
        }

        synchronized HistoryPage slice(long after, long to, int limit, boolean newest, ChannelOptions options) {
            expire(options);
            lastUseMillis = clock.millis();
            List<Publication> out = new ArrayList<>();
            if (newest) {
                List<Publication> all = new ArrayList<>(kept);
                out.addAll(all.subList(Math.max(0, all.size() - limit), all.size()));
            } else {
                for (Publication p : kept) {
                    if (p.offset() > after && p.offset() <= to && out.size() < limit) {
                        out.add(p);
                    }
                }
            }
            return new HistoryPage(new StreamPosition(top, epoch), out);
        }

        /** Unused for longer than its history lives: forgetting it loses nothing a new epoch would not say. */
        synchronized boolean idle(long now) {
            return now - lastUseMillis > ttlMillis;
        }

        private void expire(ChannelOptions options) {
            ttlMillis = options.historyTtl().toMillis();
            if (!kept.isEmpty() && clock.millis() - lastPublishMillis > options.historyTtl().toMillis()) {
                kept.clear();
            }
        }
    }

    private ChannelLog log(String channel) {
        if ((lookups.incrementAndGet() & 1023) == 0) {
            long now = clock.millis();
            logs.values().removeIf(log -> log.idle(now));
        }
        return logs.computeIfAbsent(channel, c -> new ChannelLog());
    }

    /** Channels whose log is kept (for tests). */
    int channels() {
        return logs.size();
    }

    @Override
    public Uni<StreamPosition> publish(String channel, String data, String info, ChannelOptions options) {
        ChannelLog log = log(channel);
        Publication publication;
        // Appending and handing over under one lock keeps the listener's view in offset order.
        synchronized (log) {
            publication = log.append(data, info, options);
            listener.onPublication(channel, log.epoch, publication);
        }
        return Uni.createFrom().item(new StreamPosition(publication.offset(), log.epoch));
    }

    @Override
    public Uni<StreamPosition> position(String channel, ChannelOptions options) {
        return Uni.createFrom().item(() -> log(channel).slice(0, 0, 0, false, options).position());
    }

    @Override
    public Uni<HistoryPage> range(String channel, long afterOffset, long toOffset, int limit, ChannelOptions options) {
        return Uni.createFrom().item(() -> log(channel).slice(afterOffset, toOffset, limit, false, options));
    }

    @Override
    public Uni<HistoryPage> latest(String channel, int limit, ChannelOptions options) {
        return Uni.createFrom().item(() -> log(channel).slice(0, 0, limit, true, options));
    }

    @Override
    public Uni<Void> follow(String channel) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> unfollow(String channel) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> announceJoin(String channel, String clientInfo) {
        listener.onJoin(channel, clientInfo);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> announceLeave(String channel, String clientInfo) {
        listener.onLeave(channel, clientInfo);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> presenceAdd(String channel, Map<String, String> clients) {
        presence.computeIfAbsent(channel, c -> new ConcurrentHashMap<>()).putAll(clients);
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> presenceRemove(String channel, String client) {
        presence.computeIfPresent(channel, (c, clients) -> {
            clients.remove(client);
            return clients.isEmpty() ? null : clients;
        });
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Map<String, String>> presence(String channel) {
        return Uni.createFrom().item(() -> new LinkedHashMap<>(presence.getOrDefault(channel, Map.of())));
    }

    @Override
    public boolean clustered() {
        return false;
    }

    @Override
    public void close() {
        logs.clear();
        presence.clear();
    }
}
