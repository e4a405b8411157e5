package dev.meridian.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** ratelimit-svc's configuration ({@code meridian.ratelimit.*}). */
@ConfigMapping(prefix = "meridian.ratelimit")
public interface RateLimitServiceConfig {

    /** Directory of envoyproxy/ratelimit-format YAML files ({@code RATELIMIT_CONFIG_DIR}). */
    @WithDefault("${RATELIMIT_CONFIG_DIR:ops/ratelimit/config}")
    Path configDir();

    /** How often the directory is checked for changes. */
    @WithDefault("2s")
    Duration reloadInterval();

    /** Where counters live. */
    Store store();

    /** How many instances share the limits: while Redis is down each one enforces limit ÷ this. */
    @WithDefault("${RATELIMIT_INSTANCES:1}")
    int instances();

    /** Share of a limit above which hits count as near the limit in metrics. */
    @WithDefault("0.8")
    double nearLimitRatio();

    /** Requests per minute per client for descriptors no rule matches ({@code DEFAULT_RATE_LIMIT}); unset: none. */
    @WithDefault("${DEFAULT_RATE_LIMIT:}")
    OptionalLong defaultRateLimit();

    /** Entries in the over-limit cache at most. */
    @WithDefault("100000")
    long overLimitCacheEntries();

    /** The nginx {@code auth_request} endpoint. */
    Check check();

    interface Store {
        /** Redis for counters ({@code RATELIMIT_REDIS_URL}); with neither this nor cluster-urls, counters stay in memory (one instance). */
        @WithDefault("${RATELIMIT_REDIS_URL:}")
        Optional<String> redisUrl();

        /** Redis Cluster seed nodes ({@code RATELIMIT_REDIS_CLUSTER_URLS}, comma-separated). */
        @WithDefault("${RATELIMIT_REDIS_CLUSTER_URLS:}")
        Optional<List<String>> clusterUrls();

        /** Prefix of every counter key. */
        @WithDefault("ratelimit:")
        String keyPrefix();

        /** How long one store round trip may take before it counts as a failure. */
        @WithDefault("500ms")
        java.time.Duration timeout();

        /** Connections to Redis at most, per event loop (each loop has clients of its own). */
        @WithDefault("16")
        int poolSize();

        /** Entries in the in-memory store (the embedded store and the fallback) at most. */
        @WithDefault("1000000")
        long memoryEntries();
    }

    interface Check {
        /** Domain used when the request has no {@code X-RateLimit-Domain} header. */
        @WithDefault("nginx")
        String domain();

        /**
         * Descriptors built from request headers, one per item: {@code key:Header} entries joined
         * with {@code +}, e.g. {@code remote_address:X-Real-IP} or {@code remote_address:X-Real-IP+path:X-Original-URI}.
         * A descriptor whose header is missing is skipped.
         */
        @WithDefault("remote_address:X-Real-IP")
        List<String> descriptors();
    }
}
