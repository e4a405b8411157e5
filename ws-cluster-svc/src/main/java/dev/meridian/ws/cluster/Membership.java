package dev.meridian.ws.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.ws.broker.ChannelKeys;
import io.quarkus.logging.Log;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Command;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The cluster's members: each node writes its record into one Redis hash every heartbeat and reads
 * everyone's back. A record older than three heartbeats belongs to a dead node and is removed by
 * whichever node notices first.
 */
public final class Membership {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Redis redis;
    private final ChannelKeys keys;
    private final Duration heartbeat;
    private final Clock clock;
    private volatile List<NodeRecord> nodes = List.of();

    public Membership(Redis redis, ChannelKeys keys, Duration heartbeat, Clock clock) {
        this.redis = redis;
        this.keys = keys;
        this.heartbeat = heartbeat;
        this.clock = clock;
    }

    /** Writes this node's record, then reads every live one and hands them to {@code after}. */
    public void beat(NodeRecord mine, Consumer<List<NodeRecord>> after) {
        if (redis == null) {
            nodes = List.of(mine);
            after.accept(nodes);
            return;
        }
        String json;
        try {
            json = JSON.writeValueAsString(mine);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        redis.send(Request.cmd(Command.HSET).arg(keys.nodes()).arg(mine.id()).arg(json))
                .chain(() -> redis.send(Request.cmd(Command.HGETALL).arg(keys.nodes())))
                .subscribe().with(reply -> {
                    long now = clock.millis();
                    long stale = heartbeat.toMillis() * 3;
                    List<NodeRecord> live = new ArrayList<>();
                    for (var entry : dev.meridian.platform.redis.RedisReplies.toMap(reply).entrySet()) {
                        String id = entry.getKey();
                        NodeRecord node = parse(entry.getValue());
                        if (node == null || now - node.at() > stale) {
                            redis.send(Request.cmd(Command.HDEL).arg(keys.nodes()).arg(id)).subscribe().with(ok -> { }, e -> { });
                        } else {
                            live.add(node);
                        }
                    }
                    live.sort(Comparator.comparing(NodeRecord::id));
                    nodes = List.copyOf(live);
                    after.accept(nodes);
                }, failure -> {
                    nodes = List.of(mine);
                    Log.debugf("heartbeat failed: %s", failure.getMessage());
                });
    }

    private static NodeRecord parse(String json) {
        try {
            return JSON.readValue(json, NodeRecord.class);
        } catch (Exception e) {
            return null;
        }
    }

    public void leave(String nodeId) {
        if (redis != null) {
            redis.send(Request.cmd(Command.HDEL).arg(keys.nodes()).arg(nodeId)).await().atMost(Duration.ofSeconds(2));
        }
    }

    public List<NodeRecord> nodes() {
        return nodes;
    }

    /** The busiest node's connections over the mean of the nodes that take connections (0 when none). */
    public static double imbalance(List<NodeRecord> nodes) {
        List<NodeRecord> serving = nodes.stream().filter(n -> !n.draining()).toList();
        long total = serving.stream().mapToLong(NodeRecord::connections).sum();
        if (serving.isEmpty() || total == 0) {
            return 0;
        }
        double mean = (double) total / serving.size();
        return serving.stream().mapToLong(NodeRecord::connections).max().orElse(0) / mean;
    }

    /**
     * How many connections {@code self} should shed so it holds no more than its share: non-zero only
     * when it holds more than {@code factor} × the mean and at least {@code minimum}.
     */
    public static int excess(NodeRecord self, List<NodeRecord> nodes, double factor, int minimum) {
        List<NodeRecord> serving = nodes.stream().filter(n -> !n.draining()).toList();
        if (factor <= 0 || serving.size() < 2 || self.draining() || self.connections() < minimum) {
            return 0;
        }
        double mean = serving.stream().mapToLong(NodeRecord::connections).sum() / (double) serving.size();
        if (self.connections() <= factor * mean) {
            return 0;
        }
        return (int) Math.max(0, self.connections() - Math.ceil(mean));
    }
}
