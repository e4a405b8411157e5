package dev.meridian.glb;

import dev.meridian.glb.config.GlbConfig;
import dev.meridian.glb.config.GlbConfigParser;

/** A config shared by the unit tests: regions on three continents, one name per policy. */
public final class Fixtures {

    public static final String YAML = """
            zone: glb.test.
            ttl: 30
            primary_region: eu
            fallback_region: eu
            regions:
              - name: eu
                ipv4: [192.0.2.10]
                ipv6: ["2001:db8:10::10"]
                latitude: 50.11
                longitude: 8.68
                priority: 1
                weight: 300
              - name: us
                ipv4: [192.0.2.20, 192.0.2.21]
                latitude: 40.71
                longitude: -74.01
                priority: 2
                weight: 100
              - name: ap
                ipv4: [192.0.2.30]
                latitude: 35.68
                longitude: 139.69
                priority: 3
                weight: 0
            names:
              - {name: app.glb.test., policy: geoproximity}
              - {name: failover.glb.test., policy: failover}
              - {name: weighted.glb.test., policy: weighted}
              - {name: rr.glb.test., policy: round_robin, ttl: 5}
            """;

    private Fixtures() {
    }

    public static GlbConfig config() {
        return GlbConfigParser.parse("fixture.yaml", YAML);
    }
}
