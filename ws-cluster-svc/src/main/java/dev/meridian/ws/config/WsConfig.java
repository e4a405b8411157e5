package dev.meridian.ws.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** ws-cluster-svc's configuration ({@code meridian.ws.*}). */
@ConfigMapping(prefix = "meridian.ws")
public interface WsConfig {

    /** This node's name in the cluster ({@code WS_NODE_ID}); default: host name and HTTP port. */
    @WithDefault("${WS_NODE_ID:}")
    Optional<String> nodeId();

    /** The address clients and operators reach this node at, shown in cluster status ({@code WS_ADVERTISE}). */
    @WithDefault("${WS_ADVERTISE:}")
    Optional<String> advertise();

    /** The Redis the cluster shares ({@code WS_REDIS_URL}, else {@code REDIS_URL}); without one a node serves alone. */
    @WithDefault("${WS_REDIS_URL:${REDIS_URL:redis://127.0.0.1:16379}}")
    Optional<String> redisUrl();

    /** Key prefix of every Redis key and pub/sub channel. */
    @WithDefault("meridian:ws")
    String keyPrefix();

    Auth auth();

    Limits limits();

    Timing timing();

    Cluster cluster();

    /** Options of channels without a namespace ({@code chat} rather than {@code news:chat}). */
    @WithName("channel")
    ChannelOptions defaultChannel();

    /** Options per namespace: the part of a channel name before the first {@code :}. */
    Map<String, ChannelOptions> namespaces();

    interface Auth {
        /** Shared secret for HS256 tokens ({@code WS_JWT_HMAC_SECRET}). */
        @WithDefault("${WS_JWT_HMAC_SECRET:}")
        Optional<String> hmacSecret();

        /** PEM file with the RSA public key for RS256 tokens ({@code WS_JWT_RSA_PUBLIC_KEY_FILE}). */
        @WithDefault("${WS_JWT_RSA_PUBLIC_KEY_FILE:}")
        Optional<String> rsaPublicKeyFile();

        /** Connections without a token are accepted as anonymous ({@code WS_ALLOW_ANONYMOUS}). */
        @WithDefault("${WS_ALLOW_ANONYMOUS:false}")
        boolean allowAnonymous();

        /** Expected {@code aud} claim, when set. */
        Optional<String> audience();

        /** Expected {@code iss} claim, when set. */
        Optional<String> issuer();
    }

    interface Limits {
        /** Largest WebSocket message a client may send. */
        @WithDefault("65536")
        int maxMessageBytes();

        /** Commands per second one connection may send (sustained; bursts up to twice that). */
        @WithDefault("100")
        int commandsPerSecond();

        /** Bytes waiting to be written to one connection before it is disconnected as slow. */
        @WithDefault("1048576")
        int queueBytes();

        /** Channels one connection may subscribe to. */
        @WithDefault("128")
        int channelsPerConnection();

        /** Connections this node accepts (0: no limit). */
        @WithDefault("0")
        int connections();
    }

    interface Timing {
        /** Server pings ({@code {}}) this often; clients answer with a pong. */
        @WithDefault("25s")
        Duration ping();

        /** A connection silent for ping plus this long is closed (no pong). */
        @WithDefault("10s")
        Duration pongGrace();

        /** A connection must send its connect command within this time. */
        @WithDefault("10s")
        Duration connectTimeout();

        /** How long presence entries live without a refresh (a dead node's clients vanish after it). */
        @WithDefault("30s")
        Duration presenceTtl();

        /** How long a channel's epoch and last offset outlive its last use; after that its offsets start over in a new epoch. */
        @WithDefault("24h")
        Duration historyMetaTtl();

        /** How often each active channel's position is compared with Redis (catches lost pub/sub messages). */
        @WithDefault("2s")
        Duration positionCheck();
    }

    interface Cluster {
        /** Heartbeat interval of this node's membership record. */
        @WithDefault("2s")
        Duration heartbeat();

        /** Drain batch size: connections closed at a time. */
        @WithDefault("50")
        int drainBatch();

        /** Pause between drain batches. */
        @WithDefault("200ms")
        Duration drainInterval();

        /** Rebalance when this node holds more than factor × the mean connections (0: never). */
        @WithDefault("${WS_REBALANCE_FACTOR:1.5}")
        double rebalanceFactor();

        /** Nodes under this many connections never rebalance. */
        @WithDefault("20")
        int rebalanceMinConnections();
    }

    interface ChannelOptions {
        /** Clients may publish into the channel. */
        @WithDefault("false")
        boolean publish();

        /** Clients may ask for presence and presence stats. */
        @WithDefault("false")
        boolean presence();

        /** Clients may read history. */
        @WithDefault("false")
        boolean history();

        /** Join and leave pushes for subscribers that ask for them (needs presence tracking). */
        @WithDefault("false")
        boolean joinLeave();

        /** Publications kept per channel (0: none, so no recovery). */
        @WithDefault("100")
        int historySize();

        /** How long history lives after the last publication. */
        @WithDefault("5m")
        Duration historyTtl();

        /** Subscribing needs a subscription token for the channel. */
        @WithDefault("false")
        boolean tokenRequired();

        /** Anonymous connections may subscribe. */
        @WithDefault("true")
        boolean anonymous();
    }
}
