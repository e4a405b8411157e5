package dev.meridian.glb;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;

/** global-lb-svc's configuration ({@code meridian.glb.*}). */
@ConfigMapping(prefix = "meridian.glb")
public interface GlbServiceConfig {

    /** The regions, zone and names ({@code GLB_CONFIG}). */
    @WithDefault("${GLB_CONFIG:ops/global-lb/regions.yaml}")
    Path configFile();

    /** DNS listener. */
    Dns dns();

    /** A {@code cidr latitude longitude} table replacing the embedded default ({@code GLB_GEO_TABLE}). */
    @WithDefault("${GLB_GEO_TABLE:}")
    Optional<Path> geoTable();

    /** This instance's name among the observers ({@code GLB_INSTANCE}, e.g. its region). */
    @WithDefault("${GLB_INSTANCE:local}")
    String instanceName();

    /** Peer instances' gRPC addresses ({@code GLB_PEERS}, host:port, comma-separated): their observations count in the quorum. */
    @WithDefault("${GLB_PEERS:}")
    Optional<java.util.List<String>> peers();

    /** A peer's observations older than this no longer count (it may be the one with network trouble). */
    @WithDefault("10s")
    java.time.Duration observationStaleness();

    /**
     * MaxMind-format databases to locate clients with, tried in order before the CIDR table
     * ({@code GLB_MMDB}, comma-separated; e.g. DB-IP City Lite's IPv4 and IPv6 files).
     */
    @WithDefault("${GLB_MMDB:}")
    Optional<java.util.List<Path>> mmdb();

    /** Redis stream that region state changes are published on. */
    @WithDefault("meridian:glb:events")
    String eventStream();

    interface Dns {
        /** Address to bind (UDP and TCP). */
        @WithDefault("${GLB_DNS_HOST:127.0.0.1}")
        String host();

        /** Port (UDP and TCP); 53 in production. */
        @WithDefault("${GLB_DNS_PORT:8053}")
        int port();

        /**
         * UDP sockets bound to the port with SO_REUSEPORT, each on its own event loop, so every core
         * reads queries; 0 means one per available processor (with the NIO transport, where
         * SO_REUSEPORT is unavailable, one socket is used).
         */
        @WithDefault("${GLB_DNS_UDP_SOCKETS:0}")
        int udpSockets();

        /** TCP connections idle this long are closed (seconds). */
        @WithDefault("10")
        int tcpIdleSeconds();
    }
}
