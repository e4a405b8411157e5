package dev.meridian.ws.broker;

import dev.meridian.platform.breaker.Breaker;
import dev.meridian.ws.config.WsConfig.ChannelOptions;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Channels shared by every node through Redis: history in streams, fan-out over pub/sub, presence in hashes. */
public final class RedisBroker implements Broker {

    private final Redis redis;
    private final ChannelKeys keys;
    private final Duration metaTtl;
    private final Duration presenceTtl;
    private final Breaker breaker;
    private final Clock clock;
    private final FanoutLink link;

    public RedisBroker(Vertx vertx, String url, ChannelKeys keys, Duration metaTtl, Duration presenceTtl, Breaker breaker,
            Clock clock, Listener listener) {
        RedisOptions options = new RedisOptions().setConnectionString(url).setMaxPoolSize(16).setMaxPoolWaiting(4096);
        this.redis = Redis.createClient(io.vertx.mutiny.core.Vertx.newInstance(vertx), options);
        this.keys = keys;
        this.metaTtl = metaTtl;
        this.presenceTtl = presenceTtl;
        this.breaker = breaker;
        this.clock = clock;
        this.link = new FanoutLink(vertx, options, (fanout, text) -> {
            String channel = keys.channelOf(fanout);
            if (channel == null) {
                return;
            }
            try {
                FanoutMessage.dispatch(channel, text, listener);
            } catch (RuntimeException e) {
                Log.warnf("fan-out message dropped channel=%s reason=%s", channel, e.getMessage());
            }
        }, listener::onRelinked);
        link.start();
    }

    @Override
    public Uni<StreamPosition> publish(String channel, String data, String info, ChannelOptions options) {
        List<String> args = List.of(newEpoch(), seconds(metaTtl), Integer.toString(options.historySize()),
                seconds(options.historyTtl()), data, info == null ? "" : info, Long.toString(clock.millis()), keys.fanout(channel));
        return guarded(() -> RedisScripts.PUBLISH.run(redis, List.of(keys.stream(channel), keys.meta(channel)), args))
                .map(reply -> new StreamPosition(reply.get(0).toLong(), reply.get(1).toString()));
    }

    @Override
    public Uni<StreamPosition> position(String channel, ChannelOptions options) {
        return read(channel, "position", "-", "+", 0).map(HistoryPage::position);
    }

    @Override
    public Uni<HistoryPage> range(String channel, long afterOffset, long toOffset, int limit, ChannelOptions options) {
        if (toOffset <= afterOffset) {
            return position(channel, options).map(p -> new HistoryPage(p, List.of()));
        }
        return read(channel, "range", (afterOffset + 1) + "-0", toOffset + "-0", limit);
    }

    @Override
    public Uni<HistoryPage> latest(String channel, int limit, ChannelOptions options) {
        return read(channel, "latest", "-", "+", limit).map(page -> {
            List<Publication> oldestFirst = new ArrayList<>(page.publications());
            Collections.reverse(oldestFirst);
            return new HistoryPage(page.position(), oldestFirst);
        });
    }

    private Uni<HistoryPage> read(String channel, String mode, String from, String to, int count) {
        List<String> args = List.of(newEpoch(), seconds(metaTtl), mode, from, to, Integer.toString(Math.max(1, count)));
        return guarded(() -> RedisScripts.READ.run(redis, List.of(keys.stream(channel), keys.meta(channel)), args))
                .map(reply -> new HistoryPage(new StreamPosition(reply.get(0).toLong(), reply.get(1).toString()),
                        entries(reply.get(2))));
    }

    private static List<Publication> entries(Response entries) {
        List<Publication> publications = new ArrayList<>(entries == null ? 0 : entries.size());
        if (entries == null) {
            return publications;
        }
        for (Response entry : entries) {
            String id = entry.get(0).toString();
            long offset = Long.parseLong(id, 0, id.indexOf('-'), 10);
            Response fields = entry.get(1);
            String data = null;
            String info = null;
            long millis = 0;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String name = fields.get(i).toString();
                String value = fields.get(i + 1).toString();
                switch (name) {
                    case "d" -> data = value;
                    case "i" -> info = value.isEmpty() ? null : value;
                    case "t" -> millis = Long.parseLong(value);
                    default -> { }
                }
            }
            if (data != null) {
                publications.add(new Publication(offset, data, info, millis));
            }
        }
        return publications;
    }

    @Override
    public Uni<Void> follow(String channel) {
        return Uni.createFrom().completionStage(() -> link.subscribe(keys.fanout(channel)).toCompletionStage());
    }

    @Override
    public Uni<Void> unfollow(String channel) {
        return Uni.createFrom().completionStage(() -> link.unsubscribe(keys.fanout(channel)).toCompletionStage());
    }

    @Override
    public Uni<Void> announceJoin(String channel, String clientInfo) {
        return publishRaw(channel, FanoutMessage.join(clientInfo));
    }

    @Override
    public Uni<Void> announceLeave(String channel, String clientInfo) {
        return publishRaw(channel, FanoutMessage.leave(clientInfo));
    }

    private Uni<Void> publishRaw(String channel, String text) {
        return guarded(() -> redis.send(io.vertx.mutiny.redis.client.Request.cmd(io.vertx.mutiny.redis.client.Command.PUBLISH)
                .arg(keys.fanout(channel)).arg(text))).replaceWithVoid();
    }

    @Override
    public Uni<Void> presenceAdd(String channel, Map<String, String> clients) {
        if (clients.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> args = new ArrayList<>(2 + clients.size() * 2);
        args.add(seconds(presenceTtl.multipliedBy(2)));
        args.add(Long.toString(clock.millis() + presenceTtl.toMillis()));
        clients.forEach((client, info) -> {
            args.add(client);
            args.add(info);
        });
        return guarded(() -> RedisScripts.PRESENCE_ADD.run(redis, presenceKeys(channel), args)).replaceWithVoid();
    }

    @Override
    public Uni<Void> presenceRemove(String channel, String client) {
        return guarded(() -> RedisScripts.PRESENCE_REMOVE.run(redis, presenceKeys(channel), List.of(client))).replaceWithVoid();
    }

    @Override
    public Uni<Map<String, String>> presence(String channel) {
        return guarded(() -> RedisScripts.PRESENCE_GET.run(redis, presenceKeys(channel), List.of(Long.toString(clock.millis()))))
                .map(reply -> {
                    Map<String, String> clients = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < reply.size(); i += 2) {
                        clients.put(reply.get(i).toString(), reply.get(i + 1).toString());
                    }
                    return clients;
                });
    }

    private List<String> presenceKeys(String channel) {
        return List.of(keys.presence(channel), keys.presenceExpiry(channel));
    }

    private <T> Uni<T> guarded(java.util.function.Supplier<Uni<T>> call) {
        return breaker.call(call);
    }

    /** The shared command client, for membership records. */
    public Redis client() {
        return redis;
    }

    public boolean linked() {
        return link.connected();
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public void close() {
        link.close();
        redis.close();
    }

    private static String newEpoch() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String seconds(Duration duration) {
        return Long.toString(Math.max(1, duration.toSeconds()));
    }
}
