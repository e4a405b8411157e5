package dev.meridian.ratelimit.limiter;

import dev.meridian.ratelimit.config.Algorithm;
import dev.meridian.ratelimit.config.ConfigParser;
import dev.meridian.ratelimit.config.DescriptorEntry;
import dev.meridian.ratelimit.config.DomainConfig;
import dev.meridian.ratelimit.config.LimitRule;
import dev.meridian.ratelimit.config.LimitUnit;
import dev.meridian.ratelimit.config.RateLimitConfig;
import dev.meridian.ratelimit.store.CounterStore;
import dev.meridian.ratelimit.store.InMemoryCounterStore;
import dev.meridian.ratelimit.store.LimitCheck;
import dev.meridian.ratelimit.store.LimitOutcome;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** envoyproxy/ratelimit's documented semantics, and Meridian's additions, on the in-memory store. */
class RateLimitDeciderTest {

    private static final DomainConfig DOMAIN = ConfigParser.parse("api.yaml", """
            domain: api
            descriptors:
              - key: user
                rate_limit: {unit: minute, requests_per_unit: 3}
              - key: soft_user
                shadow_mode: true
                rate_limit: {unit: minute, requests_per_unit: 1}
              - key: quota
                quota_mode: true
                rate_limit: {unit: minute, requests_per_unit: 1}
              - key: internal
                rate_limit: {unlimited: true}
              - key: healthcheck
              - key: key_1
                value: value_1
                descriptors:
                  - key: user
                    value: bkthomps
                    rate_limit: {name: specific_limit, unit: second, requests_per_unit: 5}
              - key: key_2
                value: value_2
                descriptors:
                  - key: user
                    value: bkthomps
                    rate_limit:
                      replaces: [{name: specific_limit}]
                      unit: second
                      requests_per_unit: 10
              - key: tenant
                rate_limits:
                  - {name: burst, unit: second, requests_per_unit: 100, algorithm: token_bucket}
                  - {name: sustained, unit: minute, requests_per_unit: 2, algorithm: sliding_window}
            """);
    private static final DomainConfig STRICT = ConfigParser.parse("strict.yaml", """
            domain: strict
            failure_mode: deny
            descriptors:
              - key: user
                rate_limit: {unit: minute, requests_per_unit: 30}
            """);

    private final RateLimitConfig config = new RateLimitConfig(Map.of("api", DOMAIN, "strict", STRICT), "v", Instant.EPOCH);
    private final InMemoryCounterStore memory = new InMemoryCounterStore(Clock.systemUTC(), 10_000);
    private final AtomicInteger storeCalls = new AtomicInteger();
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final AtomicBoolean enabled = new AtomicBoolean(true);
    private final CounterStore countingStore = new CounterStore() {
        @Override
        public Uni<List<LimitOutcome>> apply(List<LimitCheck> checks) {
            storeCalls.incrementAndGet();
            if (storeDown.get()) {
                return Uni.createFrom().failure(new IOException("redis down"));
            }
            return memory.apply(checks);
        }

        @Override
        public String kind() {
            return "memory";
        }
    };

    private RateLimitDecider decider(Optional<LimitRule> defaultLimit) {
        return new RateLimitDecider(new RateLimitDecider.Parts(() -> config, countingStore, action -> action.get(),
                new InMemoryCounterStore(Clock.systemUTC(), 1000), 3, new OverLimitCache(Clock.systemUTC(), 1000),
                enabled::get, defaultLimit, DecisionObserver.NONE));
    }

    private final RateLimitDecider decider = decider(Optional.empty());

    private static RequestDescriptor d(String... keyValues) {
        DescriptorEntry[] entries = new DescriptorEntry[keyValues.length / 2];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new DescriptorEntry(keyValues[2 * i], keyValues[2 * i + 1]);
        }
        return RequestDescriptor.of(entries);
    }

    private RateLimitDecision ask(RateLimitDecider using, String domain, RequestDescriptor... descriptors) {
        return using.decide(new RateLimitQuery(domain, List.of(descriptors), 1)).await().atMost(Duration.ofSeconds(5));
    }

    private RateLimitDecision ask(String domain, RequestDescriptor... descriptors) {
        return ask(decider, domain, descriptors);
    }

    @Test
    void admitsUpToTheLimitThenSaysOverWithRemainingAndReset() {
        String user = "alice-" + System.nanoTime();
        for (int i = 2; i >= 0; i--) {
            RateLimitDecision ok = ask("api", d("user", user));
            assertEquals(Code.OK, ok.overall());
            assertEquals(i, ok.statuses().get(0).remaining());
            assertEquals(3, ok.statuses().get(0).currentLimit().requestsPerUnit());
        }
        RateLimitDecision over = ask("api", d("user", user));
        assertEquals(Code.OVER_LIMIT, over.overall());
        assertEquals(0, over.statuses().get(0).remaining());
        assertTrue(over.statuses().get(0).untilReset().toMillis() <= 60_000);
    }

    @Test
    void overallIsTheOrOfItsDescriptorsAndStatusesKeepRequestOrder() {
        String user = "bob-" + System.nanoTime();
        for (int i = 0; i < 3; i++) {
            ask("api", d("user", user));
        }
        RateLimitDecision mixed = ask("api", d("healthcheck", "x"), d("user", user), d("nothing", "here"));
        assertEquals(Code.OVER_LIMIT, mixed.overall());
        assertEquals(List.of(Code.OK, Code.OVER_LIMIT, Code.OK),
                mixed.statuses().stream().map(DescriptorDecision::code).collect(Collectors.toList()));
        assertNull(mixed.statuses().get(0).currentLimit(), "a whitelisted descriptor reports no limit");
    }

    @Test
    void shadowModeReportsOkButStillCounts() {
        String user = "shady-" + System.nanoTime();
        ask("api", d("soft_user", user));
        RateLimitDecision shadowed = ask("api", d("soft_user", user));
        assertEquals(Code.OK, shadowed.overall());
        assertTrue(shadowed.statuses().get(0).shadowed());
        assertEquals(0, shadowed.statuses().get(0).remaining());
    }

    @Test
    void unlimitedNeverTouchesTheStore() {
        RateLimitDecision unlimited = ask("api", d("internal", "ldap"));
        assertEquals(Code.OK, unlimited.overall());
        assertEquals(DescriptorDecision.UNLIMITED, unlimited.statuses().get(0).remaining());
        assertEquals(0, storeCalls.get());
    }

    @Test
    void replacesDropsTheReplacedLimitOnlyWhenBothMatch() {
        // (key_1, value_1), (user, bkthomps): 5 / s alone
        assertEquals(5, ask("api", d("key_1", "value_1", "user", "bkthomps")).statuses().get(0).currentLimit().requestsPerUnit());
        // both in one request: the 5/s rule is replaced, only the 10/s one applies
        RateLimitDecision both = ask("api", d("key_1", "value_1", "user", "bkthomps"), d("key_2", "value_2", "user", "bkthomps"));
        assertNull(both.statuses().get(0).currentLimit());
        assertEquals(10, both.statuses().get(1).currentLimit().requestsPerUnit());
    }

    @Test
    void quotaModeIsSoftUntilEveryQuotaIsSpent() {
        // two quota-mode descriptors, e.g. two backends a request may use
        String first = "q1-" + System.nanoTime();
        String second = "q2-" + System.nanoTime();
        ask("api", d("quota", first));
        RateLimitDecision soft = ask("api", d("quota", first), d("quota", second));
        assertEquals(Code.OK, soft.overall(), "one spent quota does not deny while another has room");
        assertEquals(Code.OVER_LIMIT, soft.statuses().get(0).code());
        assertEquals(List.of(0), soft.quotaViolations());
        RateLimitDecision allSpent = ask("api", d("quota", first), d("quota", second));
        assertEquals(Code.OVER_LIMIT, allSpent.overall(), "every quota-mode descriptor is over");
        assertEquals(List.of(0, 1), allSpent.quotaViolations());
    }

    @Test
    void hitsAddendZeroChecksWithoutCounting() {
        String user = "check-" + System.nanoTime();
        RequestDescriptor checkOnly = new RequestDescriptor(d("user", user).entries(), Optional.empty(), OptionalLong.of(0));
        for (int i = 0; i < 5; i++) {
            assertEquals(3, ask("api", checkOnly).statuses().get(0).remaining());
        }
        RateLimitDecision heavy = decider.decide(new RateLimitQuery("api", List.of(d("user", user)), 3)).await().indefinitely();
        assertEquals(0, heavy.statuses().get(0).remaining(), "request-level hits_addend counts 3 at once");
        assertEquals(Code.OK, heavy.overall());
    }

    @Test
    void theClientsLimitOverrideReplacesTheConfiguredOne() {
        RequestDescriptor overridden = new RequestDescriptor(d("user", "o-" + System.nanoTime()).entries(),
                Optional.of(new RequestDescriptor.Override(1, LimitUnit.HOUR)), OptionalLong.empty());
        assertEquals(Code.OK, ask("api", overridden).overall());
        RateLimitDecision second = ask("api", overridden);
        assertEquals(Code.OVER_LIMIT, second.overall());
        assertEquals(LimitUnit.HOUR, second.statuses().get(0).currentLimit().unit());
    }

    @Test
    void severalLimitsOnOneDescriptorTheTightestDecides() {
        String tenant = "t-" + System.nanoTime();
        ask("api", d("tenant", tenant));
        ask("api", d("tenant", tenant));
        RateLimitDecision third = ask("api", d("tenant", tenant));
        assertEquals(Code.OVER_LIMIT, third.overall());
        assertEquals("sustained", third.statuses().get(0).currentLimit().name());
        assertTrue(third.statuses().get(0).retryAfter().toMillis() > 0);
    }

    @Test
    void unknownDomainIsOkUnlessADefaultLimitIsSet() {
        assertEquals(Code.OK, ask("nope", d("user", "x")).overall());
        assertNull(ask("nope", d("user", "x")).statuses().get(0).currentLimit());

        RateLimitDecider withDefault = decider(Optional.of(new LimitRule("default", 2, LimitUnit.MINUTE, 1,
                Algorithm.FIXED_WINDOW, false, List.of(), "default")));
        String client = "client-" + System.nanoTime();
        ask(withDefault, "nope", d("remote_address", client));
        ask(withDefault, "nope", d("remote_address", client));
        assertEquals(Code.OVER_LIMIT, ask(withDefault, "nope", d("remote_address", client)).overall());
        assertEquals(Code.OK, ask(withDefault, "api", d("healthcheck", "x")).overall(), "whitelisted stays whitelisted");
    }

    @Test
    void flagOffMakesEveryDecisionOk() {
        enabled.set(false);
        String user = "off-" + System.nanoTime();
        for (int i = 0; i < 10; i++) {
            RateLimitDecision decision = ask("api", d("user", user));
            assertEquals(Code.OK, decision.overall());
            assertEquals(DecisionSource.DISABLED, decision.source());
        }
        assertEquals(0, storeCalls.get());
    }

    @Test
    void storeDownFallsBackToALocalLimitDividedByTheInstanceCount() {
        storeDown.set(true);
        String user = "fb-" + System.nanoTime();
        // 30 per minute over 3 instances: 10 here
        int allowed = 0;
        for (int i = 0; i < 15; i++) {
            RateLimitDecision decision = ask("api", d("user", user));
            assertEquals(DecisionSource.FALLBACK, decision.source());
            if (decision.overall() == Code.OK) {
                allowed++;
            }
        }
        assertEquals(1, allowed, "limit 3 / 3 instances = 1 locally");
    }

    @Test
    void storeDownDeniesWhenTheDomainSaysSo() {
        storeDown.set(true);
        RateLimitDecision decision = ask("strict", d("user", "anyone"));
        assertEquals(Code.OVER_LIMIT, decision.overall());
        assertEquals(DecisionSource.FAILURE_DENY, decision.source());
        assertEquals(Code.OK, ask("strict", d("unmatched", "x")).overall(), "nothing limited, nothing denied");
    }

    @Test
    void aKnownOverLimitKeyIsAnsweredWithoutTheStore() {
        String user = "hot-" + System.nanoTime();
        for (int i = 0; i < 4; i++) {
            ask("api", d("user", user));
        }
        int callsBefore = storeCalls.get();
        for (int i = 0; i < 50; i++) {
            assertEquals(Code.OVER_LIMIT, ask("api", d("user", user)).overall());
        }
        assertEquals(callsBefore, storeCalls.get());
    }

    @Test
    void headersFollowTheClosestDescriptor() {
        String user = "h-" + System.nanoTime();
        RateLimitDecision first = ask("api", d("user", user));
        Map<String, String> headers = first.headers().stream()
                .collect(Collectors.toMap(RateLimitDecision.Header::name, RateLimitDecision.Header::value));
        assertEquals("\"default\";q=3;w=60", headers.get("RateLimit-Policy"));
        assertTrue(headers.get("RateLimit").startsWith("\"default\";r=2;t="), headers.get("RateLimit"));
        assertEquals("3, 3;w=60", headers.get("X-RateLimit-Limit"));
        assertEquals("2", headers.get("X-RateLimit-Remaining"));
        assertNull(headers.get("Retry-After"));
        ask("api", d("user", user));
        ask("api", d("user", user));
        RateLimitDecision over = ask("api", d("user", user));
        assertTrue(over.headers().stream().anyMatch(h -> h.name().equals("Retry-After")));
    }
}
