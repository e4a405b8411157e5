package dev.meridian.platform;

import dev.meridian.platform.breaker.Breaker;
import dev.meridian.platform.breaker.CircuitBreakers;
import dev.meridian.platform.flags.Flag;
import dev.meridian.platform.flags.FlagChangeRecorder;
import dev.meridian.platform.flags.FlagChanged;
import dev.meridian.platform.flags.FlagSettings;
import dev.meridian.platform.flags.FlagSource;
import dev.meridian.platform.flags.RuntimeFlags;
import dev.meridian.platform.redis.StreamClients;
import dev.meridian.platform.redis.StreamTail;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The platform inside a running Quarkus application, against the real Redis of ./meridian test:
 * flags follow Redis, breakers open and close, and both show on the endpoints every service has.
 * Test config: CB_FAILURE_THRESHOLD=3, CB_RESET_TIMEOUT=1, flags under meridian-test:*.
 */
@QuarkusTest
class PlatformResourceTest {

    @Inject
    RuntimeFlags flags;

    @Inject
    FlagChangeRecorder recorder;

    @Inject
    CircuitBreakers breakers;

    @Inject
    Redis redis;

    @Inject
    Vertx vertx;

    @Inject
    StreamClients streamClients;

    @AfterEach
    void restoreFlags() {
        for (Flag flag : Flag.values()) {
            if (!flags.isEnabled(flag)) {
                flags.set(flag, true, "test-cleanup").await().atMost(Duration.ofSeconds(2));
                await().atMost(Duration.ofSeconds(2)).until(() -> flags.isEnabled(flag));
            }
        }
    }

    @Test
    void flagChangedInRedisReachesTheRunningServiceWithinOneSecond() {
        // given
        assertTrue(flags.isEnabled(Flag.RATE_LIMITING));

        // when: an operator's tool writes the hash and publishes the change
        send(Request.cmd(Command.HSET).arg("meridian-test:flags").arg("rate-limiting").arg("false"));
        send(Request.cmd(Command.XADD).arg("meridian-test:control").arg("*").arg("kind").arg("flag")
                .arg("flag").arg("rate-limiting").arg("enabled").arg("false").arg("actor").arg("ops-test"));

        // then
        await().atMost(Duration.ofSeconds(1)).until(() -> !flags.isEnabled(Flag.RATE_LIMITING));
        assertEquals(FlagSource.CONTROL_STREAM, flags.value(Flag.RATE_LIMITING).source());
        assertTrue(recorder.seen().contains(new FlagChanged(Flag.RATE_LIMITING, false, FlagSource.CONTROL_STREAM, "ops-test")));
        given().get("/health/flags").then().statusCode(200)
                .body("flags.rate-limiting.enabled", equalTo(false))
                .body("flags.rate-limiting.source", equalTo("CONTROL_STREAM"))
                .body("sync.redisConnected", equalTo(true));
    }

    @Test
    void aNewInstanceStartsWithTheCurrentClusterWideValue() {
        // given: edge-cache turned off cluster-wide
        flags.set(Flag.EDGE_CACHE, false, "test").await().atMost(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(1)).until(() -> !flags.isEnabled(Flag.EDGE_CACHE));

        // when: another instance starts with ENABLE_EDGE_CACHE unset (on)
        FlagSettings settings = new FlagSettings("meridian-test:flags", "meridian-test:control", 1000,
                Duration.ofHours(1), StreamTail.Options.defaults());
        try (RuntimeFlags newInstance = new RuntimeFlags(vertx, redis, streamClients, settings, Map.of(), Clock.systemUTC(), change -> { })) {
            newInstance.start().await().atMost(Duration.ofSeconds(5));

            // then
            assertFalse(newInstance.isEnabled(Flag.EDGE_CACHE));
            assertEquals(FlagSource.REDIS_HASH, newInstance.value(Flag.EDGE_CACHE).source());
        }
    }

    @Test
    void breakerOpensAfterTheThresholdHalfOpensAfterTheResetTimeoutAndClosesOnSuccess() {
        Breaker breaker = breakers.breaker("test-backend");

        // when: CB_FAILURE_THRESHOLD (3) failures in a row
        for (int i = 0; i < 3; i++) {
            Throwable failure = callFailing(breaker);
            assertInstanceOf(IOException.class, failure);
        }

        // then: open, shown as such, and calls are refused without reaching the backend
        assertEquals(CircuitBreakerState.OPEN, breaker.state());
        assertInstanceOf(CircuitBreakerOpenException.class, callFailing(breaker));
        given().get("/q/metrics").then()
                .body(containsString("meridian_platform_circuit_breaker_rejected_total{breaker=\"test-backend\",service=\"platform-test\"} 1.0"));
        given().get("/health/circuit-breakers").then().statusCode(200)
                .body("failureThreshold", equalTo(3))
                .body("resetTimeoutSeconds", equalTo(1))
                .body("breakers.find { it.name == 'test-backend' }.state", equalTo("OPEN"))
                .body("breakers.find { it.name == 'test-backend' }.failures", equalTo(3))
                .body("breakers.find { it.name == 'test-backend' }.lastTransition", notNullValue())
                .body("breakers.find { it.name == 'test-backend' }.openUntil", notNullValue());

        // when: CB_RESET_TIMEOUT (1 s) has passed, a trial call goes through and succeeds
        AtomicReference<CircuitBreakerState> stateDuringTrial = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
            try {
                breaker.call(() -> {
                    stateDuringTrial.set(breaker.state());
                    return Uni.createFrom().item("ok");
                }).await().atMost(Duration.ofSeconds(1));
                return true;
            } catch (CircuitBreakerOpenException stillOpen) {
                return false;
            }
        });

        // then: the trial ran half-open, and its success closed the breaker
        assertEquals(CircuitBreakerState.HALF_OPEN, stateDuringTrial.get());
        assertEquals(CircuitBreakerState.CLOSED, breaker.state());
        given().get("/health/circuit-breakers").then()
                .body("breakers.find { it.name == 'test-backend' }.state", equalTo("CLOSED"))
                .body("breakers.find { it.name == 'test-backend' }.failures", equalTo(0));
    }

    @Test
    void aGuardedCallOnAnEventLoopIsAnsweredInTheTurnThatCompletesItWithoutExtraTasks() throws Exception {
        Breaker breaker = breakers.breaker("inline-backend");
        CompletableFuture<String> observed = new CompletableFuture<>();

        // given: on an event loop, a guarded call whose backend answers later, from that loop
        vertx.getDelegate().runOnContext(v -> {
            Thread loop = Thread.currentThread();
            AtomicReference<UniEmitter<? super String>> backend = new AtomicReference<>();
            AtomicReference<String> delivered = new AtomicReference<>();
            breaker.call(() -> Uni.createFrom().<String>emitter(backend::set)).subscribe().with(delivered::set);
            boolean startedInline = backend.get() != null;
            vertx.getDelegate().setTimer(10, t -> {
                // when: the backend answers
                backend.get().complete("answer");
                // then: the caller has the answer before this task ends, on the same thread
                observed.complete("startedInline=" + startedInline + " deliveredInline=" + "answer".equals(delivered.get())
                        + " sameThread=" + (Thread.currentThread() == loop));
            });
        });

        assertEquals("startedInline=true deliveredInline=true sameThread=true", observed.get(5, TimeUnit.SECONDS));
        assertEquals(CircuitBreakerState.CLOSED, breaker.state());
    }

    @Test
    void withTheCircuitBreakerFlagOffBreakersNeverOpen() {
        // given
        flags.set(Flag.CIRCUIT_BREAKER, false, "test").await().atMost(Duration.ofSeconds(2));
        await().atMost(Duration.ofSeconds(1)).until(() -> !flags.isEnabled(Flag.CIRCUIT_BREAKER));
        Breaker breaker = breakers.breaker("flagged-backend");

        // when: twice the threshold of failures
        for (int i = 0; i < 6; i++) {
            // then: every call reaches the backend
            assertInstanceOf(IOException.class, callFailing(breaker));
        }
        assertEquals(CircuitBreakerState.CLOSED, breaker.state());
        given().get("/health/circuit-breakers").then().body("enabled", equalTo(false));
    }

    @Test
    void turningTheFlagOffClosesAnOpenBreaker() {
        // given
        Breaker breaker = breakers.breaker("reset-backend");
        for (int i = 0; i < 3; i++) {
            callFailing(breaker);
        }
        assertEquals(CircuitBreakerState.OPEN, breaker.state());

        // when
        flags.set(Flag.CIRCUIT_BREAKER, false, "test").await().atMost(Duration.ofSeconds(2));

        // then
        await().atMost(Duration.ofSeconds(1)).until(() -> breaker.state() == CircuitBreakerState.CLOSED);
        assertEquals(0, breaker.view().failures());
    }

    @Test
    void readinessAndMetricsShowFlagsAndRedis() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("runtime-flags"))
                .body("checks.find { it.name == 'runtime-flags' }.data.redis", equalTo("following"));
        breakers.breaker("metered-backend");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("meridian_platform_flag_enabled{flag=\"edge-cache\",service=\"platform-test\"}"))
                .body(containsString("meridian_platform_circuit_breaker_state{breaker=\"metered-backend\",service=\"platform-test\",state=\"closed\"} 1.0"));
    }

    private Throwable callFailing(Breaker breaker) {
        try {
            breaker.call(() -> Uni.createFrom().failure(new IOException("backend down"))).await().atMost(Duration.ofSeconds(1));
            throw new AssertionError("the failing call succeeded");
        } catch (RuntimeException e) {
            return e instanceof CircuitBreakerOpenException ? e : e.getCause() != null ? e.getCause() : e;
        }
    }

    private void send(Request request) {
        redis.send(request).await().atMost(Duration.ofSeconds(2));
    }
}
