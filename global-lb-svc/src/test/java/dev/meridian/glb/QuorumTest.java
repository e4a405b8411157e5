package dev.meridian.glb;

import dev.meridian.contracts.glb.v1.GlobalLbGrpc;
import dev.meridian.contracts.glb.v1.ResolveRequest;
import dev.meridian.contracts.glb.v1.ResolveResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Failover needs a quorum of observers: this instance and a peer speaking meridian.glb.v1 Watch. */
@QuarkusTest
@QuarkusTestResource(GlbTestResource.class)
class QuorumTest {

    @AfterEach
    void restore() throws Exception {
        GlbTestResource.peer.report(null);
        if (GlbTestResource.euEndpoint.isClosed()) {
            GlbTestResource.reopenEuEndpoint();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> GeoDnsDigTest.answers("app.glb.test", "A", "+subnet=198.51.100.0/24", "+tcp").size() == 60);
    }

    @Test
    void oneObserverSeeingARegionDownDoesNotFailItOver() throws Exception {
        // given: the peer sees every region up
        GlbTestResource.peer.report(Map.of("eu", true, "us", true, "ap", true));
        await().atMost(Duration.ofSeconds(3)).until(() -> given().get("/health/global-lb").jsonPath()
                .getList("regions").size() == 3);

        // when: only this instance sees eu fail
        GlbTestResource.euEndpoint.close();
        await().atMost(Duration.ofSeconds(3)).until(() -> Boolean.FALSE.equals(given().get("/health/global-lb").jsonPath()
                .get("regions.find { it.name == 'eu' }.locallyHealthy")));

        // then: 1 of 2 observers is no majority, London keeps eu
        assertEquals(60, GeoDnsDigTest.answers("app.glb.test", "A", "+subnet=198.51.100.0/24", "+tcp").size());
        given().get("/health/global-lb").then().body("regions.find { it.name == 'eu' }.healthy", equalTo(true))
                .body("freshObservers", org.hamcrest.Matchers.hasItems("test-instance", "fake-peer"))
                .body("peerAnswersPerRegion.fake-peer.eu", equalTo(1000));
        long own = given().get("/health/global-lb").jsonPath().getLong("answersPerRegion.eu");
        long global = given().get("/health/global-lb").jsonPath().getLong("globalAnswersPerRegion.eu");
        assertEquals(true, global >= own + 1000, "global totals add the peer's answers: " + global + " vs own " + own);

        // when: the peer sees it down too
        GlbTestResource.peer.report(Map.of("eu", false, "us", true, "ap", true));

        // then: the quorum fails it over
        await().atMost(Duration.ofSeconds(3)).until(() ->
                GeoDnsDigTest.answers("app.glb.test", "A", "+subnet=198.51.100.0/24", "+tcp").equals(List.of("10.20.0.1")));
    }

    @Test
    void aSilentPeerStopsVoting() throws Exception {
        // given: a peer that claims eu is down while this instance sees it up: a tie, eu stays
        GlbTestResource.peer.report(Map.of("eu", false, "us", true, "ap", true));
        Thread.sleep(500);
        assertEquals(60, GeoDnsDigTest.answers("app.glb.test", "A", "+subnet=198.51.100.0/24", "+tcp").size());

        // when: this instance sees eu down as well, and then the peer falls silent
        GlbTestResource.euEndpoint.close();
        await().atMost(Duration.ofSeconds(3)).until(() ->
                GeoDnsDigTest.answers("app.glb.test", "A", "+subnet=198.51.100.0/24", "+tcp").equals(List.of("10.20.0.1")));
        GlbTestResource.peer.report(null);
        GlbTestResource.reopenEuEndpoint();

        // then: once the peer's word is stale (1 s), this instance's own recovery brings eu back
        await().atMost(Duration.ofSeconds(5)).until(() ->
                GeoDnsDigTest.answers("app.glb.test", "A", "+subnet=198.51.100.0/24", "+tcp").size() == 60);
    }

    @Test
    void aGrpcHealthCheckFailsAndRecoversItsRegion() throws Exception {
        // given: ap (Tokyo) is checked through grpc.health.v1 on the peer's port
        assertEquals(List.of("10.30.0.1"), GeoDnsDigTest.answers("app.glb.test", "A", "+subnet=203.0.113.0/24"));

        // when: it reports NOT_SERVING
        GlbTestResource.peer.serving(false);

        // then: Tokyo is sent to the next nearest region (eu), and back once it serves again
        try {
            await().atMost(Duration.ofSeconds(3)).until(() ->
                    GeoDnsDigTest.answers("app.glb.test", "A", "+subnet=203.0.113.0/24", "+tcp").size() == 60);
        } finally {
            GlbTestResource.peer.serving(true);
        }
        await().atMost(Duration.ofSeconds(3)).until(() ->
                GeoDnsDigTest.answers("app.glb.test", "A", "+subnet=203.0.113.0/24").equals(List.of("10.30.0.1")));
    }

    @Test
    void theLatencyPolicyAnswersWithTheFastestMeasuredRegion() {
        // Probe RTTs move between rebuilds: compare the answer with the plan only when the plan
        // named the same region before and after the query.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String before = given().get("/health/global-lb").jsonPath().getString("answers.fastest");
            List<String> answer = GeoDnsDigTest.answers("fastest.glb.test", "A", "+tcp");
            String after = given().get("/health/global-lb").jsonPath().getString("answers.fastest");
            assertEquals(before, after, "the fastest region changed during the query");
            List<String> expected = switch (before) {
                case "us" -> List.of("10.20.0.1");
                case "ap" -> List.of("10.30.0.1");
                default -> GeoDnsDigTest.answers("app.glb.test", "A", "+subnet=198.51.100.0/24", "+tcp");
            };
            assertEquals(expected, answer);
        });
    }

    @Test
    void resolveAnswersLikeDns() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", RestAssured.port).usePlaintext().build();
        try {
            GlobalLbGrpc.GlobalLbBlockingStub glb = GlobalLbGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
            ResolveResponse tokyo = glb.resolve(ResolveRequest.newBuilder().setName("app.glb.test").setClientAddress("203.0.113.9").build());
            assertEquals("ap", tokyo.getRegion());
            assertEquals(List.of("10.30.0.1"), tokyo.getIpv4List());
            assertEquals("geoproximity", tokyo.getPolicy());
            java.util.Iterator<dev.meridian.contracts.glb.v1.Observation> watch = GlobalLbGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .watch(dev.meridian.contracts.glb.v1.WatchRequest.newBuilder().setObserver("a-peer").build());
            dev.meridian.contracts.glb.v1.Observation first = watch.next();
            assertEquals("test-instance", first.getObserver());
            assertEquals(3, first.getRegionsCount());
            assertEquals("test-instance", watch.next().getObserver(), "heartbeats follow");
            assertEquals(io.grpc.Status.Code.NOT_FOUND, assertThrows(StatusRuntimeException.class, () -> glb.resolve(
                    ResolveRequest.newBuilder().setName("nope.glb.test").setClientAddress("203.0.113.9").build())).getStatus().getCode());
            assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, assertThrows(StatusRuntimeException.class, () -> glb.resolve(
                    ResolveRequest.newBuilder().setName("app.glb.test").setClientAddress("example.com").build())).getStatus().getCode());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
