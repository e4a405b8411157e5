package dev.meridian.glb;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DNS server as resolvers see it, through dig (bind9-dnsutils), over UDP and TCP. */
@QuarkusTest
@QuarkusTestResource(GlbTestResource.class)
class GeoDnsDigTest {

    private static final String LONDON = "+subnet=198.51.100.0/24";
    private static final String NEW_YORK = "+subnet=192.0.2.0/24";
    private static final String TOKYO = "+subnet=203.0.113.0/24";

    static String dig(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", Integer.toString(GlbTestResource.dnsPort),
                "+time=2", "+tries=1"));
        command.addAll(List.of(args));
        Process dig = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(dig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(dig.waitFor(10, TimeUnit.SECONDS), "dig hung");
        return output;
    }

    static List<String> answers(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("+short");
        return dig(all.toArray(String[]::new)).lines().filter(l -> !l.isBlank() && !l.startsWith(";")).toList();
    }

    @Test
    void clientsOnThreeContinentsGetTheirNearestRegion() throws Exception {
        assertEquals(List.of("10.30.0.1"), answers("app.glb.test", "A", TOKYO));
        assertEquals(List.of("10.20.0.1"), answers("app.glb.test", "A", NEW_YORK));
        String withScope = dig("app.glb.test", "A", TOKYO);
        assertTrue(withScope.contains("CLIENT-SUBNET: 203.0.113.0/24/24"), withScope);
        assertTrue(withScope.contains("flags: qr aa"), withScope);
    }

    @Test
    void aLargeAnswerIsTruncatedOverUdpAndWholeOverTcp() throws Exception {
        // Without EDNS there is no client subnet: the source 127.0.0.1 is located in Frankfurt, so eu.
        String udp = dig("app.glb.test", "A", "+noedns", "+ignore", "+notcp");
        assertTrue(udp.contains("flags: qr aa tc"), "TC over classic UDP: " + udp);
        List<String> viaTcp = answers("app.glb.test", "A", "+tcp", "+noedns");
        assertEquals(60, viaTcp.size(), "the full answer over TCP");
        List<String> retried = answers("app.glb.test", "A", "+noedns");
        assertEquals(60, retried.size(), "dig retries over TCP by itself after TC");
        assertEquals(60, answers("app.glb.test", "A", LONDON).size(), "1232-byte EDNS payload holds all 60");
    }

    @Test
    void namesOutsideTheZoneAreRefusedAndMissingNamesAreNxdomain() throws Exception {
        assertTrue(dig("example.com", "A").contains("status: REFUSED"));
        String nx = dig("missing.glb.test", "A");
        assertTrue(nx.contains("status: NXDOMAIN"), nx);
        assertTrue(nx.contains("SOA"), nx);
        assertTrue(dig("glb.test", "SOA").contains("status: NOERROR"));
    }

    @Test
    void aKilledEndpointMovesAnswersAwayWithinFallTimesIntervalAndBackAfterRise() throws Exception {
        // given: London clients get eu
        assertEquals(60, answers("app.glb.test", "A", LONDON, "+tcp").size());

        // when: eu's endpoint dies
        long killedAt = System.nanoTime();
        GlbTestResource.euEndpoint.close();

        // then: within fall × interval (plus one check's timeout and scheduling slack) London goes to us
        await().atMost(Duration.ofMillis((long) GlbTestResource.FALL * GlbTestResource.INTERVAL_MS + 200 + 1500))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> answers("app.glb.test", "A", LONDON, "+tcp").equals(List.of("10.20.0.1")));
        long movedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertTrue(movedAfterMs >= GlbTestResource.FALL * GlbTestResource.INTERVAL_MS / 2, "moved suspiciously early: " + movedAfterMs);
        assertEquals(List.of("10.20.0.1"), answers("failover.glb.test", "A"), "failover moves to the next priority");
        given().get("/health/global-lb").then().statusCode(200)
                .body("regions.find { it.name == 'eu' }.healthy", equalTo(false))
                .body("answers.candidates", hasItems("us", "ap"));

        // when: it comes back
        GlbTestResource.reopenEuEndpoint();

        // then: after rise passes, London is served by eu again
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> answers("app.glb.test", "A", LONDON, "+tcp").size() == 60);
    }
}
