package dev.meridian.glb;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The environment of the global-lb Quarkus tests: a config whose eu region is checked against a TCP
 * endpoint the tests open and close, us against the real Redis, ap unchecked; fast health pacing;
 * a DNS port of its own.
 */
public class GlbTestResource implements QuarkusTestResourceLifecycleManager {

    public static final int INTERVAL_MS = 200;
    public static final int FALL = 2;
    public static final int RISE = 2;
    public static int dnsPort;
    public static int euEndpointPort;
    public static ServerSocket euEndpoint;
    public static FakePeer peer;
    public static Path configFile;

    /** eu answers with 60 addresses: more than fits a classic 512-byte UDP response. */
    public static final String EU_ADDRESSES = IntStream.rangeClosed(1, 60).mapToObj(i -> "10.10.0." + i)
            .collect(Collectors.joining(", "));

    @Override
    public Map<String, String> start() {
        try {
            euEndpoint = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            euEndpointPort = euEndpoint.getLocalPort();
            try (ServerSocket probe = new ServerSocket(0)) {
                dnsPort = probe.getLocalPort();
            }
            int peerPort;
            try (ServerSocket probe = new ServerSocket(0)) {
                peerPort = probe.getLocalPort();
            }
            peer = new FakePeer(peerPort);
            Path config = Files.createTempFile("meridian-glb", ".yaml");
            configFile = config;
            Files.writeString(config, """
                    zone: glb.test.
                    ttl: 30
                    primary_region: eu
                    fallback_region: eu
                    health: {interval: %dms, timeout: 200ms, rise: %d, fall: %d}
                    regions:
                      - name: eu
                        ipv4: [%s]
                        latitude: 51.51
                        longitude: -0.13
                        priority: 1
                        checks: [{tcp: "127.0.0.1:%d"}]
                      - name: us
                        ipv4: [10.20.0.1]
                        latitude: 40.71
                        longitude: -74.01
                        priority: 2
                        checks: [{tcp: "127.0.0.1:16379"}]
                      - name: ap
                        ipv4: [10.30.0.1]
                        latitude: 35.68
                        longitude: 139.69
                        priority: 3
                        checks: [{grpc: "127.0.0.1:%d"}]
                    names:
                      - {name: app.glb.test., policy: geoproximity}
                      - {name: failover.glb.test., policy: failover}
                      - {name: fastest.glb.test., policy: latency}
                    """.formatted(INTERVAL_MS, RISE, FALL, EU_ADDRESSES, euEndpointPort, peerPort));
            return Map.of("meridian.glb.config-file", config.toString(), "meridian.glb.dns.port", Integer.toString(dnsPort),
                    "meridian.glb.peers", "127.0.0.1:" + peerPort, "meridian.glb.observation-staleness", "1s",
                    "meridian.glb.instance-name", "test-instance");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Accepts connections on the eu endpoint again, on the same port. */
    public static void reopenEuEndpoint() throws IOException {
        euEndpoint = new ServerSocket(euEndpointPort, 50, InetAddress.getLoopbackAddress());
    }

    @Override
    public void stop() {
        peer.stop();
        try {
            euEndpoint.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }
}
