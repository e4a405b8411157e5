package dev.meridian.ratelimit.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Matching as envoyproxy/ratelimit documents it: specificity, depth, wildcards, whitelisting. */
class RateLimitConfigTest {

    private static final RateLimitConfig CONFIG = new RateLimitConfig(Map.of(
            "edge", ConfigParser.parse("edge.yaml", """
                    domain: edge
                    descriptors:
                      - key: remote_address
                        rate_limit: {unit: second, requests_per_unit: 10}
                      - key: remote_address
                        value: 50.0.0.5
                        rate_limit: {unit: second, requests_per_unit: 0}
                      - key: path
                        value: /api/*
                        rate_limit: {unit: minute, requests_per_unit: 20}
                      - key: path
                        value: /api/v1/*
                        rate_limit: {unit: minute, requests_per_unit: 99}
                      - key: path
                        rate_limit: {unit: minute, requests_per_unit: 5}
                      - key: service
                        value: auth
                        descriptors:
                          - key: user
                            rate_limit: {unit: second, requests_per_unit: 3}
                      - key: healthcheck
                    """)), "v1", Instant.EPOCH);

    private static Optional<Match> match(String... keyValues) {
        List<DescriptorEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            entries.add(new DescriptorEntry(keyValues[i], keyValues[i + 1]));
        }
        return CONFIG.match("edge", entries);
    }

    private static long limitOf(String... keyValues) {
        return match(keyValues).orElseThrow().limits().get(0).requestsPerUnit();
    }

    @Test
    void exactValueBeatsTheKeyOnlyDefault() {
        assertEquals(0, limitOf("remote_address", "50.0.0.5"));
        assertEquals(10, limitOf("remote_address", "50.0.0.1"));
    }

    @Test
    void wildcardsMatchInConfigOrderBeforeTheDefault() {
        assertEquals(20, limitOf("path", "/api/v1/users"), "the first wildcard in config order wins");
        assertEquals(5, limitOf("path", "/static/app.css"));
    }

    @Test
    void limitsApplyOnlyAtTheirDepth() {
        assertEquals(3, limitOf("service", "auth", "user", "alice"));
        assertTrue(match("service", "auth").orElseThrow().limits().isEmpty(), "placeholder level has no limit");
        assertTrue(match("remote_address", "1.2.3.4", "user", "bob").orElseThrow().limits().isEmpty(),
                "a request deeper than the config gets nothing");
    }

    @Test
    void unknownKeysDomainsAndWhitelistedDescriptorsHaveNoLimit() {
        assertTrue(match("nothing", "here").isEmpty());
        assertTrue(match("healthcheck", "x").orElseThrow().node().whitelists());
        assertTrue(CONFIG.match("no-such-domain", List.of(new DescriptorEntry("a", "b"))).isEmpty());
        assertTrue(CONFIG.match("edge", List.of()).isEmpty());
    }

    @Test
    void wildcardsAreLinearOnHostileInput() {
        assertTrue(Wildcards.matches("a*b*c", "axxbyyc"));
        assertTrue(Wildcards.matches("*", ""));
        assertTrue(!Wildcards.matches("a*b", "ac"));
        char[] hostile = new char[20_000];
        Arrays.fill(hostile, 'a');
        assertTrue(!Wildcards.matches("*a*a*a*a*a*a*b", new String(hostile)));
    }

    @Test
    void directoryLoadsEveryYamlFileAndRejectsDuplicateDomains(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "domain: one\n");
        Files.writeString(dir.resolve("b.yml"), "domain: two\n");
        Files.writeString(dir.resolve(".hidden.yaml"), "garbage: [");
        Files.writeString(dir.resolve("notes.txt"), "ignored");

        RateLimitConfig loaded = ConfigDirectory.load(dir, Instant.EPOCH);

        assertEquals(2, loaded.domains().size());
        Files.writeString(dir.resolve("c.yaml"), "domain: one\n");
        ConfigException duplicate = assertThrows(ConfigException.class, () -> ConfigDirectory.load(dir, Instant.EPOCH));
        assertEquals("c.yaml:1:1: duplicate domain 'one' in config file (also in a.yaml)", duplicate.getMessage());
        Files.delete(dir.resolve("c.yaml"));
        Files.writeString(dir.resolve("b.yml"), "domain: three\n");
        assertNotEquals(loaded.version(), ConfigDirectory.load(dir, Instant.EPOCH).version());
    }
}
