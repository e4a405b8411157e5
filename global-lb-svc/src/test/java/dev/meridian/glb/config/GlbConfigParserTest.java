package dev.meridian.glb.config;

import dev.meridian.glb.Fixtures;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GlbConfigParserTest {

    private static String error(String yaml) {
        return assertThrows(GlbConfigException.class, () -> GlbConfigParser.parse("glb.yaml", yaml)).getMessage();
    }

    @Test
    void readsRegionsNamesAndDefaults() {
        GlbConfig config = Fixtures.config();
        assertEquals("glb.test.", config.zone().toString());
        assertEquals(3, config.regions().size());
        assertEquals("ns1.glb.test.", config.nameservers().get(0).toString());
        assertEquals(Policy.ROUND_ROBIN, config.names().get(3).policy());
        assertEquals(5, config.names().get(3).ttl());
        assertEquals(30, config.names().get(0).ttl());
        assertEquals(Duration.ofSeconds(2), config.health().interval());
        assertEquals(3, config.health().fall());
    }

    @Test
    void readsChecks() {
        GlbConfig config = GlbConfigParser.parse("glb.yaml", """
                zone: z.test
                health: {interval: 500ms, timeout: 250ms, rise: 1, fall: 2}
                regions:
                  - name: a
                    latitude: 0
                    longitude: 0
                    checks:
                      - http: https://example.test:8443/health?deep=1
                        body_contains: UP
                      - tcp: 127.0.0.1:6379
                      - grpc: 127.0.0.1:9000
                        service: app
                """);
        CheckSpec http = config.regions().get(0).checks().get(0);
        assertEquals(CheckSpec.Kind.HTTP, http.kind());
        assertEquals(8443, http.port());
        assertEquals("/health?deep=1", http.path());
        assertEquals(true, http.tls());
        assertEquals("a/1", config.regions().get(0).checks().get(1).id());
        CheckSpec grpc = config.regions().get(0).checks().get(2);
        assertEquals(CheckSpec.Kind.GRPC, grpc.kind());
        assertEquals("app", grpc.path());
        assertEquals(9000, grpc.port());
        assertEquals(Duration.ofMillis(500), config.health().interval());
    }

    @Test
    void errorsNameTheFileAndTheSetting() {
        assertEquals("glb.yaml: regions[0].latitude: must be a number from -90.0 to 90.0, got '95'", error("""
                zone: z.test
                regions: [{name: a, latitude: 95, longitude: 0}]
                """));
        assertEquals("glb.yaml: regions[0].ipv4: not an IPv4 address: example.com", error("""
                zone: z.test
                regions: [{name: a, latitude: 1, longitude: 0, ipv4: [example.com]}]
                """));
        assertEquals("glb.yaml: names[0].name: 'app.other.' is not inside the zone z.test.", error("""
                zone: z.test
                regions: [{name: a, latitude: 1, longitude: 0}]
                names: [{name: app.other.}]
                """));
        assertEquals("glb.yaml: names[0].policy: unknown policy 'nearest' (geoproximity, failover, weighted, round_robin or latency)", error("""
                zone: z.test
                regions: [{name: a, latitude: 1, longitude: 0}]
                names: [{name: app.z.test., policy: nearest}]
                """));
        assertEquals("glb.yaml: fallback_region: unknown region 'mars'", error("""
                zone: z.test
                fallback_region: mars
                regions: [{name: a, latitude: 1, longitude: 0}]
                """));
        assertEquals("glb.yaml: regions[1].name: duplicate region 'a'", error("""
                zone: z.test
                regions: [{name: a, latitude: 1, longitude: 0}, {name: a, latitude: 2, longitude: 0}]
                """));
        assertEquals("glb.yaml: regions: at least one region is needed", error("zone: z.test\n"));
        assertEquals("glb.yaml: regions[0].checks[0]: a check needs http: URL, tcp: host:port or grpc: host:port", error("""
                zone: z.test
                regions: [{name: a, latitude: 1, longitude: 0, checks: [{ping: x}]}]
                """));
    }
}
