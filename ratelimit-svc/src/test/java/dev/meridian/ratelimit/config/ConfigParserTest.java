package dev.meridian.ratelimit.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Validation fixtures: envoyproxy/ratelimit's error messages, each with file, line and column. */
class ConfigParserTest {

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigParser.parse("api.yaml", yaml)).getMessage();
    }

    @Test
    void readsEnvoysFormat() {
        DomainConfig domain = ConfigParser.parse("api.yaml", """
                domain: messaging
                descriptors:
                  - key: message_type
                    value: marketing
                    descriptors:
                      - key: to_number
                        rate_limit:
                          unit: day
                          requests_per_unit: 5
                  - key: to_number
                    shadow_mode: true
                    rate_limit:
                      name: per_number
                      unit: DAY
                      requests_per_unit: 100
                """);

        assertEquals("messaging", domain.name());
        assertEquals(FailureMode.ALLOW, domain.failureMode());
        DescriptorNode marketing = domain.descriptors().byCompositeKey().get("message_type_marketing");
        LimitRule perMarketing = marketing.children().byCompositeKey().get("to_number").limits().get(0);
        assertEquals(5, perMarketing.requestsPerUnit());
        assertEquals(LimitUnit.DAY, perMarketing.unit());
        assertEquals(Algorithm.FIXED_WINDOW, perMarketing.algorithm());
        assertEquals("messaging.message_type_marketing.to_number", perMarketing.metricKey());
        DescriptorNode toNumber = domain.descriptors().byCompositeKey().get("to_number");
        assertTrue(toNumber.shadowMode());
        assertEquals("per_number", toNumber.limits().get(0).name());
        assertTrue(marketing.limits().isEmpty());
    }

    @Test
    void readsMeridiansExtensions() {
        DomainConfig domain = ConfigParser.parse("api.yaml", """
                domain: api
                failure_mode: deny
                descriptors:
                  - key: user
                    quota_mode: true
                    rate_limits:
                      - name: burst
                        unit: second
                        requests_per_unit: 10
                        algorithm: token_bucket
                      - unit: minute
                        unit_multiplier: 5
                        requests_per_unit: 1000
                        algorithm: sliding_window
                """);

        assertEquals(FailureMode.DENY, domain.failureMode());
        DescriptorNode user = domain.descriptors().byCompositeKey().get("user");
        assertTrue(user.quotaMode());
        List<LimitRule> limits = user.limits();
        assertEquals(2, limits.size());
        assertEquals(Algorithm.TOKEN_BUCKET, limits.get(0).algorithm());
        assertEquals(java.time.Duration.ofMinutes(5), limits.get(1).window());
        assertEquals(Algorithm.SLIDING_WINDOW, limits.get(1).algorithm());
    }

    @Test
    void unlimitedNeedsNoUnit() {
        DomainConfig domain = ConfigParser.parse("api.yaml", """
                domain: internal
                descriptors:
                  - key: ldap
                    rate_limit:
                      unlimited: true
                  - key: azure
                """);

        assertTrue(domain.descriptors().byCompositeKey().get("ldap").limits().get(0).unlimited());
        assertTrue(domain.descriptors().byCompositeKey().get("azure").whitelists());
        assertNull(domain.descriptors().byCompositeKey().get("azure").value());
    }

    @Test
    void unknownKeyIsNamedWithItsPosition() {
        assertEquals("api.yaml:4:5: config error, unknown key 'rate_limt' in a descriptor", error("""
                domain: api
                descriptors:
                  - key: user
                    rate_limt:
                      unit: second
                """));
    }

    @Test
    void unknownKeyInsideARateLimit() {
        assertEquals("api.yaml:6:7: config error, unknown key 'requests_per_minute' in a rate_limit", error("""
                domain: api
                descriptors:
                  - key: user
                    rate_limit:
                      unit: second
                      requests_per_minute: 5
                """));
    }

    @Test
    void badUnit() {
        assertEquals("api.yaml:5:13: invalid rate limit unit 'fortnight'", error("""
                domain: api
                descriptors:
                  - key: user
                    rate_limit:
                      unit: fortnight
                      requests_per_unit: 5
                """));
    }

    @Test
    void missingUnit() {
        assertEquals("api.yaml:5:7: invalid rate limit unit ''", error("""
                domain: api
                descriptors:
                  - key: user
                    rate_limit:
                      requests_per_unit: 5
                """));
    }

    @Test
    void unlimitedWithAUnit() {
        assertEquals("api.yaml:6:7: should not specify rate limit unit when unlimited", error("""
                domain: api
                descriptors:
                  - key: user
                    rate_limit:
                      unlimited: true
                      unit: second
                """));
    }

    @Test
    void duplicateDescriptor() {
        assertEquals("api.yaml:6:5: duplicate descriptor composite key 'api.user_alice'", error("""
                domain: api
                descriptors:
                  - key: user
                    value: alice
                    rate_limit: {unit: second, requests_per_unit: 1}
                  - key: user
                    value: alice
                    rate_limit: {unit: second, requests_per_unit: 2}
                """));
    }

    @Test
    void duplicateYamlKey() {
        String message = error("""
                domain: api
                domain: other
                """);
        assertTrue(message.startsWith("api.yaml:2:1: "), message);
        assertTrue(message.contains("domain"), message);
    }

    @Test
    void emptyReplaces() {
        assertEquals("api.yaml:8:11: should not have an empty replaces entry", error("""
                domain: api
                descriptors:
                  - key: user
                    rate_limit:
                      unit: second
                      requests_per_unit: 5
                      replaces:
                        - name: ""
                """));
    }

    @Test
    void selfReplaces() {
        assertEquals("api.yaml:9:11: replaces should not contain name of same descriptor", error("""
                domain: api
                descriptors:
                  - key: user
                    rate_limit:
                      name: mine
                      unit: second
                      requests_per_unit: 5
                      replaces:
                        - name: mine
                """));
    }

    @Test
    void emptyDomainAndEmptyKey() {
        assertEquals("api.yaml:1:1: config file cannot have empty domain", error("""
                descriptors:
                  - key: user
                """));
        assertEquals("api.yaml:3:5: descriptor has empty key", error("""
                domain: api
                descriptors:
                  - value: x
                """));
    }

    @Test
    void wrongTypesAndGarbage() {
        assertEquals("api.yaml:6:26: 'requests_per_unit' must be an integer from 0 to 4294967295, got 'lots'", error("""
                domain: api
                descriptors:
                  - key: user
                    rate_limit:
                      unit: second
                      requests_per_unit: lots
                """));
        assertEquals("api.yaml:2:14: 'descriptors' must be a list", error("""
                domain: api
                descriptors: nope
                """));
        assertTrue(error("domain: [unclosed").startsWith("api.yaml:1:"));
        assertEquals("api.yaml:1:1: config file is empty", error(""));
        assertEquals("api.yaml:1:1: expected a mapping for the file", error("- just\n- a list\n"));
    }

    @Test
    void extensionValuesAreChecked() {
        assertEquals("api.yaml:7:18: invalid algorithm 'leaky' (fixed_window, sliding_window or token_bucket)", error("""
                domain: api
                descriptors:
                  - key: user
                    rate_limit:
                      unit: second
                      requests_per_unit: 5
                      algorithm: leaky
                """));
        assertEquals("api.yaml:2:15: invalid failure_mode 'sometimes' (allow or deny)", error("""
                domain: api
                failure_mode: sometimes
                """));
        assertFalse(error("""
                domain: api
                descriptors:
                  - key: user
                    rate_limit: {unit: second, requests_per_unit: 5, unit_multiplier: 0}
                """).isEmpty());
    }
}
