package dev.meridian.ws.admin;

import dev.meridian.platform.flags.Flag;
import dev.meridian.ws.WsRuntime;
import dev.meridian.ws.cluster.Membership;
import dev.meridian.ws.cluster.NodeRecord;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /health/websocket-cluster}: this node, every live node of the cluster, and the imbalance. */
@Path("/health/websocket-cluster")
public class WsHealthResource {

    @Inject
    WsRuntime runtime;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> report() {
        List<NodeRecord> nodes = runtime.nodes();
        long now = System.currentTimeMillis();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", runtime.nodeId());
        body.put("clusterFlag", runtime.flags().isEnabled(Flag.WEBSOCKET_CLUSTER));
        body.put("broker", runtime.broker().clustered() ? "redis" : "memory");
        body.put("redis", !runtime.redisConfigured() ? "not configured" : runtime.fanoutLinked() ? "linked" : "down");
        body.put("draining", runtime.draining());
        body.put("connections", runtime.gateway().connections());
        body.put("subscriptions", runtime.metrics().subscriptions());
        body.put("channels", runtime.hubs().channels());
        body.put("imbalance", Math.round(Membership.imbalance(nodes) * 100) / 100.0);
        body.put("nodes", nodes.stream().map(n -> {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", n.id());
            node.put("address", n.address());
            node.put("connections", n.connections());
            node.put("subscriptions", n.subscriptions());
            node.put("channels", n.channels());
            node.put("draining", n.draining());
            node.put("heartbeatAgeMillis", Math.max(0, now - n.at()));
            return node;
        }).toList());
        return body;
    }
}
