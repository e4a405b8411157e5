package dev.meridian.cache.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** cache-svc's configuration ({@code meridian.cache.*}). */
@ConfigMapping(prefix = "meridian.cache")
public interface CacheConfig {

    /** The application behind the cache ({@code CACHE_ORIGIN}). */
    @WithDefault("${CACHE_ORIGIN:http://127.0.0.1:8100}")
    String origin();

    /** The shared L2 ({@code CACHE_REDIS_URL}); without it the cache runs on L1 alone. */
    @WithDefault("${CACHE_REDIS_URL:}")
    Optional<String> redisUrl();

    /** The edge listener. */
    Edge edge();

    /** Storage limits. */
    Storage storage();

    /** Caching rules beyond RFC 9111's defaults. */
    Rules rules();

    /** CDNs in front of the edge, purged along with it. */
    Cdn cdn();

    interface Cdn {
        /** The public origin of the site ({@code CACHE_PUBLIC_URL}, e.g. https://app.example.com): paths become URLs with it. */
        @WithDefault("${CACHE_PUBLIC_URL:}")
        Optional<String> publicUrl();

        /** Cloudflare: zone purges through its API; token from {@code CLOUDFLARE_API_TOKEN}. */
        Cloudflare cloudflare();

        /** CloudFront: invalidations through its API; keys from {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}. */
        CloudFront cloudfront();
    }

    interface Cloudflare {
        @WithDefault("${CACHE_CLOUDFLARE_ENABLED:false}")
        boolean enabled();

        /** API base (a local stand-in in tests). */
        @WithDefault("${CACHE_CLOUDFLARE_API:https://api.cloudflare.com}")
        String baseUrl();

        @WithDefault("${CACHE_CLOUDFLARE_ZONE:}")
        Optional<String> zoneId();

        /** API token with Zone.Cache Purge ({@code CLOUDFLARE_API_TOKEN}). */
        @WithDefault("${CLOUDFLARE_API_TOKEN:}")
        Optional<String> apiToken();
    }

    interface CloudFront {
        @WithDefault("${CACHE_CLOUDFRONT_ENABLED:false}")
        boolean enabled();

        /** API base (a local stand-in in tests). */
        @WithDefault("${CACHE_CLOUDFRONT_API:https://cloudfront.amazonaws.com}")
        String baseUrl();

        @WithDefault("${CACHE_CLOUDFRONT_DISTRIBUTION:}")
        Optional<String> distributionId();

        /** AWS credentials ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}). */
        @WithDefault("${AWS_ACCESS_KEY_ID:}")
        Optional<String> accessKeyId();

        @WithDefault("${AWS_SECRET_ACCESS_KEY:}")
        Optional<String> secretAccessKey();

        @WithDefault("${AWS_SESSION_TOKEN:}")
        Optional<String> sessionToken();
    }

    interface Edge {
        /** Port clients reach the cache on ({@code CACHE_EDGE_PORT}). */
        @WithDefault("${CACHE_EDGE_PORT:8080}")
        int port();

        /** Address to bind. */
        @WithDefault("${CACHE_EDGE_HOST:0.0.0.0}")
        String host();

        /** Event loops serving the edge (0 = one per core). */
        @WithDefault("${CACHE_EVENT_LOOPS:0}")
        int eventLoops();

        /** Longest request header section accepted; longer gets 400. */
        @WithDefault("16384")
        int maxHeaderBytes();

        /** The origin must answer within this, or the client gets 504 (or stale content where allowed). */
        @WithDefault("${CACHE_ORIGIN_TIMEOUT:10s}")
        Duration originTimeout();

        /** Connections to the origin per event loop. */
        @WithDefault("64")
        int originPoolSize();
    }

    interface Storage {
        /** L1 bound, in bytes. */
        @WithDefault("${CACHE_L1_BYTES:268435456}")
        long l1Bytes();

        /** Bodies larger than this stream through uncached. */
        @WithDefault("${CACHE_MAX_OBJECT_BYTES:8388608}")
        int maxObjectBytes();

        /** A stale response with a validator stays this long for conditional requests to the origin. */
        @WithDefault("10m")
        Duration validationWindow();

        /** Redis stream carrying invalidations to every instance. */
        @WithDefault("cache:invalidations")
        String invalidationStream();

        /** Prefix of L2 keys. */
        @WithDefault("cache:")
        String keyPrefix();
    }

    interface Rules {
        /** Targeted cache-control fields, most specific first (RFC 9213). */
        @WithDefault("CDN-Cache-Control")
        List<String> targetedFields();

        /** Store {@code private} responses in the shared tiers (only for single-tenant use). */
        @WithDefault("false")
        boolean storePrivate();

        /** Store responses carrying Set-Cookie. */
        @WithDefault("false")
        boolean storeSetCookie();

        /** Sort query parameters in the cache key, so ?a=1&b=2 and ?b=2&a=1 share an entry. */
        @WithDefault("false")
        boolean sortQuery();

        /** Per-route freshness rules, first match wins ({@code meridian.cache.rules.ttl[0].path=/static/**} …). */
        Optional<List<TtlRule>> ttl();
    }

    /** A route's freshness: {@code override} replaces the origin's lifetime, {@code ceiling} caps it. */
    interface TtlRule {
        /** Path glob: {@code *} within a segment, {@code **} across segments, {@code ?} one character. */
        String path();

        /** Fresh for exactly this long (storability rules still apply: no-store and private stay uncached). */
        Optional<Duration> override();

        /** Fresh for at most this long. */
        Optional<Duration> ceiling();
    }
}
