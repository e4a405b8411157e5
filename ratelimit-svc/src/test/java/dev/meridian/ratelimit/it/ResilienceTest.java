package dev.meridian.ratelimit.it;

import dev.meridian.platform.flags.Flag;
import dev.meridian.platform.flags.RuntimeFlags;
import dev.meridian.ratelimit.RateLimitTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis killed and restarted under load, and the rate-limiting flag: decisions keep coming, the
 * breaker shows it, failure modes hold, and everything returns to normal on its own.
 */
@QuarkusTest
@QuarkusTestResource(RateLimitTestResource.class)
class ResilienceTest {

    @Inject
    RuntimeFlags flags;

    @AfterEach
    void restore() throws Exception {
        RateLimitTestResource.COUNTERS.start();
        if (!flags.isEnabled(Flag.RATE_LIMITING)) {
            flags.set(Flag.RATE_LIMITING, true, "test").await().atMost(Duration.ofSeconds(2));
            await().atMost(Duration.ofSeconds(2)).until(() -> flags.isEnabled(Flag.RATE_LIMITING));
        }
    }

    private static int check(String domain, String user) {
        return given().header("X-User", user).header("X-RateLimit-Domain", domain).get("/v1/check").statusCode();
    }

    @Test
    void redisKilledMidLoadFallsBackLocallyAndRecoversByItself() throws Exception {
        // given: decisions flowing from Redis
        String user = UUID.randomUUID().toString();
        assertEquals(204, check("test", user));

        // when: Redis dies mid-load
        RateLimitTestResource.COUNTERS.stop();

        // then: every request is still answered; the breaker opens after CB_FAILURE_THRESHOLD (3) failures
        String fresh = UUID.randomUUID().toString();
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            int status = check("test", fresh);
            assertTrue(status == 204 || status == 429, "status " + status);
            allowed += status == 204 ? 1 : 0;
        }
        // limit 5 per hour over 2 instances: the local limiter admits 3 of them
        assertEquals(3, allowed);
        given().get("/health/rate-limits").then().body("storeBreaker", equalTo("OPEN"));
        given().get("/health/circuit-breakers").then().body("breakers.find { it.name == 'ratelimit-redis' }.state", equalTo("OPEN"));
        // a domain in failure mode deny refuses while Redis is away
        assertEquals(429, check("strict", UUID.randomUUID().toString()));

        // when: Redis is back
        RateLimitTestResource.COUNTERS.start();

        // then: after CB_RESET_TIMEOUT (1 s) a trial call closes the breaker and Redis decides again
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            check("strict", UUID.randomUUID().toString());
            return "CLOSED".equals(given().get("/health/rate-limits").jsonPath().getString("storeBreaker"));
        });
        assertEquals(204, check("strict", UUID.randomUUID().toString()));
        given().get("/q/metrics").then().body(containsString("meridian_ratelimit_store_failures_total{domain=\"test\""));
    }

    @Test
    void flagOffMakesEveryDecisionOkAndStillCountsIt() {
        String user = UUID.randomUUID().toString();
        for (int i = 0; i < 5; i++) {
            check("test", user);
        }
        assertEquals(429, check("test", user));

        flags.set(Flag.RATE_LIMITING, false, "test").await().atMost(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(1)).until(() -> !flags.isEnabled(Flag.RATE_LIMITING));

        for (int i = 0; i < 5; i++) {
            assertEquals(204, check("test", user));
        }
        given().get("/health/rate-limits").then().body("enabled", equalTo(false));
        given().get("/q/metrics").then()
                .body(containsString("meridian_ratelimit_disabled_total{domain=\"test\",rule=\"test.user\""))
                .body(containsString("meridian_ratelimit_over_limit_total{domain=\"test\",rule=\"test.user\""));
    }
}
