package dev.meridian.ws.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.platform.redis.RedisServerProcess;
import dev.meridian.platform.testing.ServiceJar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packaged ws-cluster-svc nodes on a Redis of their own: A, B and C form the cluster; D runs with
 * the websocket-cluster flag off and anonymous connections refused. Clients are the JDK's
 * WebSocket speaking the protocol ({@link ProtocolClient}) and, in one test, the official
 * JavaScript SDK from npm. Tests that end a node (drain, kill) run last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WsClusterIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RedisServerProcess redis;
    private static ServiceJar a;
    private static ServiceJar b;
    private static ServiceJar c;
    private static ServiceJar d;

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServerProcess().start();
        Path pem = Tokens.publicKeyPem();
        Map<String, String> common = new HashMap<>(Map.of("REDIS_URL", redis.uri(), "WS_REDIS_URL", redis.uri(),
                "WS_JWT_HMAC_SECRET", Tokens.SECRET, "WS_JWT_RSA_PUBLIC_KEY_FILE", pem.toString(), "WS_ALLOW_ANONYMOUS", "true",
                "MERIDIAN_WS_TIMING_POSITION_CHECK", "500ms", "MERIDIAN_WS_LIMITS_QUEUE_BYTES", "262144",
                "MERIDIAN_WS_CLUSTER_HEARTBEAT", "500ms", "WS_REBALANCE_FACTOR", "0"));
        common.put("MERIDIAN_WS_TIMING_PRESENCE_TTL", "3s");
        common.put("CB_RESET_TIMEOUT", "1");
        Map<String, String> alone = new HashMap<>(common);
        alone.put("ENABLE_WEBSOCKET_CLUSTER", "false");
        alone.put("WS_ALLOW_ANONYMOUS", "false");
        Map<String, String> rebalancing = new HashMap<>(common);
        rebalancing.put("WS_REBALANCE_FACTOR", "1.5");
        rebalancing.put("MERIDIAN_WS_CLUSTER_REBALANCE_MIN_CONNECTIONS", "25");
        CompletableFuture<ServiceJar> fa = launch("ws-a", rebalancing);
        CompletableFuture<ServiceJar> fb = launch("ws-b", common);
        CompletableFuture<ServiceJar> fc = launch("ws-c", common);
        CompletableFuture<ServiceJar> fd = launch("ws-d", alone);
        a = fa.get(3, TimeUnit.MINUTES);
        b = fb.get(3, TimeUnit.MINUTES);
        c = fc.get(3, TimeUnit.MINUTES);
        d = fd.get(3, TimeUnit.MINUTES);
    }

    private static CompletableFuture<ServiceJar> launch(String name, Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("WS_NODE_ID", name);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ServiceJar.start(name, env);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceJar node : new ServiceJar[] {a, b, c, d}) {
            if (node != null) {
                node.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static JsonNode httpPublish(ServiceJar node, String channel, JsonNode data) throws Exception {
        ObjectNode body = ProtocolClient.JSON.createObjectNode().put("channel", channel);
        body.set("data", data);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/api/publish"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return ProtocolClient.JSON.readTree(response.body());
    }

    private static HttpResponse<String> get(ServiceJar node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertContiguous(List<JsonNode> publications, long firstOffset) {
        for (int i = 0; i < publications.size(); i++) {
            assertEquals(firstOffset + i, publications.get(i).path("offset").asLong(), "offset at position " + i);
        }
    }

    @Test
    @Order(1)
    void publicationsReachSubscribersOnEveryNodeInOneOrderWithContiguousOffsets() throws Exception {
        // given
        String channel = "chat:fanout-" + RUN;
        List<ProtocolClient> subscribers = List.of(ProtocolClient.connected(a.httpPort(), null),
                ProtocolClient.connected(b.httpPort(), null), ProtocolClient.connected(c.httpPort(), null));
        for (ProtocolClient s : subscribers) {
            assertTrue(s.subscribe(channel).has("subscribe"));
        }
        try (ProtocolClient fromA = ProtocolClient.connected(a.httpPort(), null);
                ProtocolClient fromC = ProtocolClient.connected(c.httpPort(), null)) {
            // when: two publishers on two nodes, interleaved
            for (int i = 0; i < 150; i++) {
                assertTrue(fromA.publish(channel, ProtocolClient.JSON.createObjectNode().put("from", "a").put("n", i)).has("publish"));
                assertTrue(fromC.publish(channel, ProtocolClient.JSON.createObjectNode().put("from", "c").put("n", i)).has("publish"));
            }
        }
        // then
        List<String> reference = null;
        for (ProtocolClient s : subscribers) {
            List<JsonNode> got = s.publications(channel, 300, WAIT);
            assertEquals(300, got.size());
            assertContiguous(got, 1);
            List<String> order = got.stream().map(p -> p.path("data").toString()).toList();
            if (reference == null) {
                reference = order;
            }
            assertEquals(reference, order, "every node delivers the same order");
            long lastA = -1;
            for (JsonNode p : got) {
                if (p.path("data").path("from").asText().equals("a")) {
                    assertEquals(lastA + 1, p.path("data").path("n").asLong(), "one publisher's messages stay in order");
                    lastA++;
                }
            }
            s.close();
        }
    }

    @Test
    @Order(2)
    void aClientReconnectingToAnotherNodeRecoversExactlyWhatItMissed() throws Exception {
        // given: five publications seen on A
        String channel = "news-recover-" + RUN;
        String epoch;
        try (ProtocolClient first = ProtocolClient.connected(a.httpPort(), null)) {
            epoch = first.subscribe(channel).path("subscribe").path("epoch").asText();
            for (int i = 1; i <= 5; i++) {
                httpPublish(b, channel, IntNode.valueOf(i));
            }
            assertContiguous(first.publications(channel, 5, WAIT), 1);
        }
        // when: seven more while away, then back on C
        for (int i = 6; i <= 12; i++) {
            httpPublish(b, channel, IntNode.valueOf(i));
        }
        try (ProtocolClient back = ProtocolClient.connected(c.httpPort(), null)) {
            JsonNode result = back.recover(channel, 5, epoch).path("subscribe");
            // then
            assertTrue(result.path("recovered").asBoolean(), result.toString());
            List<JsonNode> missed = new ArrayList<>();
            result.path("publications").forEach(missed::add);
            assertEquals(7, missed.size());
            assertContiguous(missed, 6);
            assertEquals(6, missed.get(0).path("data").asInt());
            httpPublish(a, channel, IntNode.valueOf(13));
            assertEquals(13, back.publications(channel, 1, WAIT).get(0).path("offset").asLong());
        }
    }

    @Test
    @Order(3)
    void recoveryFromAnotherEpochIsReportedImpossible() throws Exception {
        String channel = "news-epoch-" + RUN;
        httpPublish(a, channel, IntNode.valueOf(1));
        try (ProtocolClient client = ProtocolClient.connected(b.httpPort(), null)) {
            JsonNode result = client.recover(channel, 1, "not-the-epoch").path("subscribe");
            assertTrue(result.path("was_recovering").asBoolean());
            assertFalse(result.path("recovered").asBoolean(), result.toString());
            assertEquals(1, result.path("offset").asLong());
        }
    }

    @Test
    @Order(4)
    void aFrozenNodeDeliversEveryMessageOnceResumed() throws Exception {
        // given
        String channel = "news-frozen-" + RUN;
        try (ProtocolClient subscriber = ProtocolClient.connected(c.httpPort(), null)) {
            subscriber.subscribe(channel);
            // when: C is frozen while 200 messages are published through A
            signal("STOP", c);
            try {
                for (int i = 1; i <= 200; i++) {
                    httpPublish(a, channel, IntNode.valueOf(i));
                }
                Thread.sleep(2000);
            } finally {
                signal("CONT", c);
            }
            // then
            List<JsonNode> got = subscriber.publications(channel, 200, WAIT);
            assertEquals(200, got.size());
            assertContiguous(got, 1);
            assertEquals(200, got.get(199).path("data").asInt());
        }
    }

    /**
     * Output to the test's, input from /dev/null: a child given this JVM's stdin (inheritIO) shares
     * surefire's command pipe, and node makes it non-blocking, which surefire then reads as a
     * corrupted stream (CI failed the module on it after every test had passed).
     */
    private static ProcessBuilder withoutStdin(ProcessBuilder builder) {
        return builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
    }

    private static void signal(String signal, ServiceJar node) throws Exception {
        Process kill = withoutStdin(new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid()))).start();
        assertEquals(0, kill.waitFor());
    }

    @Test
    @Order(5)
    void joinLeaveAndPresenceSpanNodes() throws Exception {
        String channel = "chat:presence-" + RUN;
        try (ProtocolClient watcher = ProtocolClient.connected(a.httpPort(), Tokens.hs256("alice", 600))) {
            watcher.call("subscribe", ProtocolClient.JSON.createObjectNode().put("channel", channel).put("join_leave", true));
            ProtocolClient visitor = ProtocolClient.connected(b.httpPort(), Tokens.rs256("bob", 600));
            visitor.subscribe(channel);
            JsonNode join = watcher.await(f -> f.path("push").has("join")
                    && f.path("push").path("join").path("info").path("user").asText().equals("bob"), WAIT);
            assertNotNull(join, "alice sees bob join");
            JsonNode presence = watcher.call("presence", ProtocolClient.JSON.createObjectNode().put("channel", channel));
            assertEquals(2, presence.path("presence").path("presence").size(), presence.toString());
            JsonNode stats = watcher.call("presence_stats", ProtocolClient.JSON.createObjectNode().put("channel", channel));
            assertEquals(2, stats.path("presence_stats").path("num_users").asInt());
            visitor.call("unsubscribe", ProtocolClient.JSON.createObjectNode().put("channel", channel));
            assertNotNull(watcher.await(f -> f.path("push").has("leave"), WAIT), "alice sees bob leave");
            visitor.close();
        }
    }

    @Test
    @Order(6)
    void tokensAndPermissionsAreEnforcedWithTheProtocolsCodes() throws Exception {
        try (ProtocolClient forged = ProtocolClient.open(a.httpPort())) {
            forged.connect(Tokens.hs256WithSecret("mallory", "another-secret-that-is-long-enough-0123"));
            assertEquals(3500, forged.awaitClose(WAIT), "a token with a bad signature: invalid token");
        }
        try (ProtocolClient late = ProtocolClient.open(a.httpPort())) {
            assertEquals(109, late.connect(Tokens.hs256("alice", -120)).path("error").path("code").asInt());
        }
        try (ProtocolClient anonymous = ProtocolClient.open(d.httpPort())) {
            assertEquals(101, anonymous.connect(null).path("error").path("code").asInt(), "node D refuses anonymous clients");
        }
        try (ProtocolClient alice = ProtocolClient.connected(a.httpPort(), Tokens.rs256("alice", 600))) {
            String privateChannel = "private:inbox-" + RUN;
            assertEquals(103, alice.subscribe(privateChannel).path("error").path("code").asInt());
            assertEquals(103, alice.call("subscribe", ProtocolClient.JSON.createObjectNode().put("channel", privateChannel)
                    .put("token", Tokens.subscription("alice", "private:other", 600))).path("error").path("code").asInt());
            assertEquals(103, alice.call("subscribe", ProtocolClient.JSON.createObjectNode().put("channel", privateChannel)
                    .put("token", Tokens.subscription("bob", privateChannel, 600))).path("error").path("code").asInt());
            JsonNode ok = alice.call("subscribe", ProtocolClient.JSON.createObjectNode().put("channel", privateChannel)
                    .put("token", Tokens.subscription("alice", privateChannel, 600)));
            assertTrue(ok.path("subscribe").path("expires").asBoolean(), ok.toString());
            assertEquals(103, alice.publish("news", IntNode.valueOf(1)).path("error").path("code").asInt(), "no client publishing");
            assertEquals(102, alice.subscribe("nowhere:x").path("error").path("code").asInt());
            assertEquals(108, alice.call("history", ProtocolClient.JSON.createObjectNode().put("channel", "news"))
                    .path("error").path("code").asInt());
            assertEquals(107, alice.subscribe("bad channel").path("error").path("code").asInt());
        }
    }

    @Test
    @Order(7)
    void badInputEndsThatConnectionOnlyWithTheProtocolsCodes() throws Exception {
        assertEquals(3501, closeCodeAfter(a, client -> client.send("{not json")));
        assertEquals(3501, closeCodeAfter(a, client -> client.sendBinary(new byte[] {1, 2, 3})));
        assertEquals(3501, closeCodeAfter(a, client -> client.send("{\"id\":1,\"subscribe\":{\"channel\":\"news\"}}")),
                "a command before connect");
        assertEquals(3501, closeCodeAfter(a, client -> {
            client.connect(null);
            client.send("{\"id\":2,\"publish\":{\"channel\":\"chat:big\",\"data\":\"" + "x".repeat(70_000) + "\"}}");
        }), "a message over the 64 KiB limit");
        try (ProtocolClient client = ProtocolClient.connected(a.httpPort(), null)) {
            assertEquals(104, client.call("teleport", ProtocolClient.JSON.createObjectNode()).path("error").path("code").asInt());
            client.subscribe("news");
            assertEquals(105, client.subscribe("news").path("error").path("code").asInt());
            StringBuilder burst = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                burst.append("{\"id\":").append(1000 + i).append(",\"ping\":{}}\n");
            }
            for (int i = 0; i < 3; i++) {
                client.send(burst.toString());
            }
            assertNotNull(client.await(f -> f.path("error").path("code").asInt() == 111, WAIT), "over 2x the rate: too many requests");
            assertTrue(client.call("ping", ProtocolClient.JSON.createObjectNode()) != null);
        }
        try (ProtocolClient bystander = ProtocolClient.connected(a.httpPort(), null)) {
            assertTrue(bystander.subscribe("news-bystander-" + RUN).has("subscribe"), "the node still serves others");
        }
    }

    private interface ClientAction {
        void run(ProtocolClient client) throws Exception;
    }

    private static int closeCodeAfter(ServiceJar node, ClientAction action) throws Exception {
        try (ProtocolClient client = ProtocolClient.open(node.httpPort())) {
            action.run(client);
            return client.awaitClose(WAIT);
        }
    }

    @Test
    @Order(8)
    void aSlowClientIsDisconnectedWithAReconnectCodeNotSilentlySkipped() throws Exception {
        String channel = "news-slow-" + RUN;
        String payload = "y".repeat(16 * 1024);
        try (ProtocolClient slow = ProtocolClient.connected(a.httpPort(), null)) {
            slow.subscribe(channel);
            slow.pause();
            for (int i = 1; i <= 1200; i++) {
                httpPublish(b, channel, ProtocolClient.JSON.createObjectNode().put("n", i).put("pad", payload));
            }
            slow.resume();
            List<JsonNode> got = slow.publications(channel, 1200, Duration.ofSeconds(5));
            assertTrue(got.size() < 1200, "the client could not have kept up");
            assertContiguous(got, 1);
            assertEquals(3008, slow.awaitClose(WAIT), "slow: reconnect and recover");
        }
        assertEquals(200, get(a, "/q/health/live").statusCode());
    }

    @Test
    @Order(9)
    void theFlagOffNodeServesItsOwnClientsAlone() throws Exception {
        String channel = "chat:alone-" + RUN;
        try (ProtocolClient onD = ProtocolClient.connected(d.httpPort(), Tokens.hs256("dora", 600));
                ProtocolClient onA = ProtocolClient.connected(a.httpPort(), null)) {
            onD.subscribe(channel);
            onA.subscribe(channel);
            httpPublish(a, channel, IntNode.valueOf(1));
            assertEquals(1, onA.publications(channel, 1, WAIT).size());
            assertEquals(0, onD.publications(channel, 1, Duration.ofSeconds(1)).size(), "no cross-node fan-out into D");
            onD.publish(channel, IntNode.valueOf(2));
            assertEquals(2, onD.publications(channel, 1, WAIT).get(0).path("data").asInt(), "local fan-out on D");
            assertEquals(0, onA.publications(channel, 1, Duration.ofSeconds(1)).size());
        }
    }

    @Test
    @Order(10)
    void theOfficialJavaScriptSdkSubscribesPublishesAndRecoversAcrossNodes() throws Exception {
        Path modules = Path.of("target", "js");
        if (!Files.isDirectory(modules.resolve("node_modules").resolve("centrifuge"))) {
            Files.createDirectories(modules);
            Process npm = withoutStdin(new ProcessBuilder("npm", "install", "--prefix", modules.toString(), "--no-audit", "--no-fund", "--silent",
                    "centrifuge@5", "ws@8")).start();
            assertTrue(npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0, "npm install centrifuge ws");
        }
        Process node = new ProcessBuilder("node", Path.of("src", "test", "js", "sdk-across-nodes.js").toString(),
                Integer.toString(a.httpPort()), Integer.toString(c.httpPort()), "chat:sdk-" + RUN)
                .redirectErrorStream(true).start();
        node.getOutputStream().close();
        String output = new String(node.getInputStream().readAllBytes());
        assertTrue(node.waitFor(2, TimeUnit.MINUTES), output);
        assertEquals(0, node.exitValue(), output);
        assertTrue(output.contains("recovered 3 of 3"), output);
    }

    @Test
    @Order(11)
    void applicationsPublishAndReadHistoryAndPresenceOverGrpc() throws Exception {
        String channel = "chat:grpc-" + RUN;
        io.grpc.ManagedChannel grpc = io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", b.httpPort()).usePlaintext().build();
        try (ProtocolClient subscriber = ProtocolClient.connected(a.httpPort(), Tokens.hs256("gina", 600))) {
            subscriber.subscribe(channel);
            var stub = dev.meridian.contracts.ws.v1.WsClusterGrpc.newBlockingStub(grpc).withDeadlineAfter(10, TimeUnit.SECONDS);
            var published = stub.publish(dev.meridian.contracts.ws.v1.PublishRequest.newBuilder().setChannel(channel)
                    .setDataJson("{\"via\":\"grpc\"}").build());
            assertEquals(1, published.getOffset());
            assertEquals("grpc", subscriber.publications(channel, 1, WAIT).get(0).path("data").path("via").asText());
            var history = stub.history(dev.meridian.contracts.ws.v1.HistoryRequest.newBuilder().setChannel(channel).build());
            assertEquals(published.getEpoch(), history.getEpoch());
            assertEquals("{\"via\":\"grpc\"}", history.getPublications(0).getDataJson());
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> stub.presence(
                    dev.meridian.contracts.ws.v1.PresenceRequest.newBuilder().setChannel(channel).build()).getNumUsers() == 1);
            io.grpc.StatusRuntimeException unknown = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
                    () -> stub.publish(dev.meridian.contracts.ws.v1.PublishRequest.newBuilder().setChannel("nowhere:x").setDataJson("1").build()));
            assertEquals(io.grpc.Status.Code.NOT_FOUND, unknown.getStatus().getCode());
            io.grpc.StatusRuntimeException notJson = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
                    () -> stub.publish(dev.meridian.contracts.ws.v1.PublishRequest.newBuilder().setChannel(channel).setDataJson("{oops").build()));
            assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, notJson.getStatus().getCode());
            assertTrue(stub.clusterStatus(dev.meridian.contracts.ws.v1.ClusterStatusRequest.getDefaultInstance()).getNodesCount() >= 3);
        } finally {
            grpc.shutdownNow();
        }
    }

    @Test
    @Order(12)
    void aConnectionWhoseTokenRunsOutIsClosedUnlessRefreshed() throws Exception {
        try (ProtocolClient lapsing = ProtocolClient.open(a.httpPort());
                ProtocolClient refreshed = ProtocolClient.open(a.httpPort())) {
            JsonNode connect = lapsing.connect(Tokens.hs256("ivan", 2)).path("connect");
            assertTrue(connect.path("expires").asBoolean(), connect.toString());
            refreshed.connect(Tokens.hs256("ivan", 2));
            JsonNode refresh = refreshed.call("refresh", ProtocolClient.JSON.createObjectNode().put("token", Tokens.hs256("ivan", 600)));
            assertTrue(refresh.path("refresh").path("ttl").asLong() > 500, refresh.toString());
            assertEquals(3005, lapsing.awaitClose(WAIT), "expired");
            assertTrue(refreshed.call("ping", ProtocolClient.JSON.createObjectNode()).has("ping"), "the refreshed one lives on");
            assertEquals(3500, closeCodeAfter(a, client -> {
                client.connect(Tokens.hs256("ivan", 600));
                client.call("refresh", ProtocolClient.JSON.createObjectNode().put("token", Tokens.hs256("someone-else", 600)));
            }), "a refresh token for another user");
        }
    }

    @Test
    @Order(13)
    void metricsCountDeliveriesAndRecoveriesWithoutChannelNames() throws Exception {
        String metrics = get(a, "/q/metrics").body();
        assertTrue(metricValue(metrics, "meridian_ws_deliveries_out_total") > 0, metrics);
        assertTrue(metricValue(metrics, "meridian_ws_recoveries_total{outcome=\"succeeded\"") > 0, "the SDK test recovered on A");
        assertTrue(metrics.contains("meridian_ws_delivery_latency_seconds_bucket"));
        assertFalse(metrics.contains(RUN), "no channel name in any tag");
    }

    private static double metricValue(String metrics, String prefix) {
        return metrics.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    @Order(14)
    void aNodeHoldingFarMoreThanItsShareAsksTheExcessToReconnect() throws Exception {
        // given: A rebalances above 1.5 × the mean once it holds 25 or more; the others hold (almost) none
        List<ProtocolClient> clients = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ProtocolClient client = ProtocolClient.open(a.httpPort());
            JsonNode reply = client.connect(null);
            // A starts shedding once it holds 25, possibly while the last few are still connecting:
            // a client asked to reconnect before its connect was answered counts as shed.
            assertTrue(reply != null && reply.has("connect") || client.awaitClose(WAIT) == 3011, "connect failed: " + reply);
            clients.add(client);
        }
        // when: A's next heartbeats see the imbalance
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> clients.stream().filter(c -> c.awaitClose(Duration.ZERO) == 3011).count() >= 15);
        Thread.sleep(2000);
        // then: the excess (down to about the mean) was asked to reconnect, the rest kept
        long forced = clients.stream().filter(c -> c.awaitClose(Duration.ZERO) == 3011).count();
        long open = clients.stream().filter(c -> c.awaitClose(Duration.ZERO) == -1).count();
        assertEquals(30, forced + open);
        assertTrue(forced >= 15 && forced <= 25 && open >= 5, "forced " + forced + ", open " + open);
        clients.forEach(ProtocolClient::close);
    }

    @Test
    @Order(15)
    void aSubscriptionWhoseTokenRunsOutIsDroppedForResubscribeUnlessRefreshed() throws Exception {
        String lapsing = "private:lapsing-" + RUN;
        String renewed = "private:renewed-" + RUN;
        try (ProtocolClient client = ProtocolClient.connected(c.httpPort(), Tokens.hs256("kim", 600))) {
            client.call("subscribe", ProtocolClient.JSON.createObjectNode().put("channel", lapsing)
                    .put("token", Tokens.subscription("kim", lapsing, 2)));
            client.call("subscribe", ProtocolClient.JSON.createObjectNode().put("channel", renewed)
                    .put("token", Tokens.subscription("kim", renewed, 2)));
            JsonNode refresh = client.call("sub_refresh", ProtocolClient.JSON.createObjectNode().put("channel", renewed)
                    .put("token", Tokens.subscription("kim", renewed, 600)));
            assertTrue(refresh.path("sub_refresh").path("expires").asBoolean(), refresh.toString());
            JsonNode dropped = client.await(f -> f.path("push").has("unsubscribe"), WAIT);
            assertNotNull(dropped);
            assertEquals(lapsing, dropped.path("push").path("channel").asText());
            assertEquals(2501, dropped.path("push").path("unsubscribe").path("code").asInt());
            httpPublish(a, renewed, IntNode.valueOf(1));
            assertEquals(1, client.publications(renewed, 1, WAIT).size(), "the refreshed subscription lives on");
        }
    }

    @Test
    @Order(80)
    void aRedisRestartIsReportedNotHiddenAndTheClusterCarriesOn() throws Exception {
        // given
        String channel = "news-redis-" + RUN;
        try (ProtocolClient subscriber = ProtocolClient.connected(a.httpPort(), null)) {
            subscriber.subscribe(channel);
            httpPublish(b, channel, IntNode.valueOf(1));
            assertEquals(1, subscriber.publications(channel, 1, WAIT).size());
            // when: Redis goes away (and comes back empty: no persistence here)
            redis.stop();
            assertEquals(503, rawPublish(b, channel).statusCode(), "publishing needs the broker");
            assertEquals(200, get(b, "/q/health/live").statusCode(), "the node itself stays up");
            redis.start();
            // then: the channel's history is gone, so its subscribers are told to resubscribe (2500), not left waiting
            JsonNode lost = subscriber.await(f -> f.path("push").has("unsubscribe"), Duration.ofSeconds(30));
            assertNotNull(lost, "position lost must be said");
            assertEquals(2500, lost.path("push").path("unsubscribe").path("code").asInt());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> rawPublish(b, channel).statusCode() == 200);
            JsonNode again = subscriber.subscribe(channel).path("subscribe");
            assertTrue(again.has("epoch"), again.toString());
            httpPublish(b, channel, IntNode.valueOf(2));
            assertEquals(2, subscriber.publications(channel, 1, WAIT).get(0).path("data").asInt());
        }
    }

    private static HttpResponse<String> rawPublish(ServiceJar node, String channel) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/api/publish"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"channel\":\"" + channel + "\",\"data\":0}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(90)
    void drainClosesEveryClientWithShutdownAndRefusesNewOnes() throws Exception {
        List<ProtocolClient> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clients.add(ProtocolClient.connected(b.httpPort(), null));
        }
        HttpResponse<String> drain = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.httpPort()
                + "/admin/drain?batch=2&intervalMillis=200")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, drain.statusCode(), drain.body());
        for (ProtocolClient client : clients) {
            assertEquals(3001, client.awaitClose(WAIT), "shutdown: reconnect elsewhere");
            client.close();
        }
        assertEquals(503, get(b, "/q/health/ready").statusCode(), "a draining node is not ready");
        HttpResponse<String> refused = get(b, "/connection/websocket");
        assertEquals(503, refused.statusCode());
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> nodeDraining("ws-b"));
    }

    @Test
    @Order(95)
    void drainOverGrpcToo() throws Exception {
        io.grpc.ManagedChannel grpc = io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", d.httpPort()).usePlaintext().build();
        try (ProtocolClient client = ProtocolClient.connected(d.httpPort(), Tokens.hs256("dan", 600))) {
            var response = dev.meridian.contracts.ws.v1.WsClusterGrpc.newBlockingStub(grpc).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .drain(dev.meridian.contracts.ws.v1.DrainRequest.newBuilder().setBatchSize(1).setBatchIntervalMillis(50).build());
            assertEquals(1, response.getConnections());
            assertEquals(3001, client.awaitClose(WAIT));
            assertEquals(503, get(d, "/q/health/ready").statusCode());
        } finally {
            grpc.shutdownNow();
        }
    }

    private static boolean nodeDraining(String id) throws Exception {
        for (JsonNode node : ProtocolClient.JSON.readTree(get(a, "/health/websocket-cluster").body()).path("nodes")) {
            if (node.path("id").asText().equals(id) && node.path("draining").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    @Test
    @Order(100)
    void clientsOfAKilledNodeRecoverOnAnother() throws Exception {
        // given
        String channel = "news-killed-" + RUN;
        String room = "chat:killed-" + RUN;
        ProtocolClient onC = ProtocolClient.connected(c.httpPort(), Tokens.hs256("carl", 600));
        onC.subscribe(room);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> presenceCount(room) == 1);
        String epoch = onC.subscribe(channel).path("subscribe").path("epoch").asText();
        for (int i = 1; i <= 4; i++) {
            httpPublish(a, channel, IntNode.valueOf(i));
        }
        List<JsonNode> before = onC.publications(channel, 4, WAIT);
        long last = before.get(before.size() - 1).path("offset").asLong();
        // when
        c.kill();
        assertTrue(onC.awaitClose(WAIT) != 3001, "a crash, not a drain");
        onC.close();
        for (int i = 5; i <= 9; i++) {
            httpPublish(a, channel, IntNode.valueOf(i));
        }
        // then
        try (ProtocolClient onA = ProtocolClient.connected(a.httpPort(), null)) {
            JsonNode result = onA.recover(channel, last, epoch).path("subscribe");
            assertTrue(result.path("recovered").asBoolean(), result.toString());
            assertEquals(5, result.path("publications").size());
            assertEquals(5, result.path("publications").get(0).path("offset").asLong());
        }
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !nodeListed("ws-c"));
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> presenceCount(room) == 0);
    }

    private static int presenceCount(String channel) throws Exception {
        return ProtocolClient.JSON.readTree(get(a, "/api/presence?channel=" + channel).body()).path("numClients").asInt();
    }

    private static boolean nodeListed(String id) throws Exception {
        for (JsonNode node : ProtocolClient.JSON.readTree(get(a, "/health/websocket-cluster").body()).path("nodes")) {
            if (node.path("id").asText().equals(id)) {
                return true;
            }
        }
        return false;
    }
}
