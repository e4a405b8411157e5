package dev.meridian.platform.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Configuration shared by every service. {@code CB_FAILURE_THRESHOLD} and {@code CB_RESET_TIMEOUT}
 * feed the breaker settings through this module's {@code META-INF/microprofile-config.properties}.
 */
@ConfigMapping(prefix = "meridian.platform")
public interface PlatformConfig {

    /** Circuit-breaker settings for every breaker of the service. */
    CircuitBreaker circuitBreaker();

    /** Where flags live in Redis and how they are followed. */
    Flags flags();

    /** How Redis streams are read. */
    Streams streams();

    interface CircuitBreaker {
        /** Consecutive failures that open a breaker ({@code CB_FAILURE_THRESHOLD}, default 10). */
        int failureThreshold();

        /** How long a breaker stays open before it lets a trial call through ({@code CB_RESET_TIMEOUT}, seconds, default 30). */
        Duration resetTimeout();
    }

    interface Flags {
        /** Redis hash holding every flag's cluster-wide value. */
        @WithDefault("meridian:flags")
        String hashKey();

        /** Redis stream every flag change is published on. */
        @WithDefault("meridian:control")
        String controlStream();

        /** Approximate cap on the control stream's length (XADD MAXLEN ~). */
        @WithDefault("10000")
        long controlStreamMaxLen();

        /** How often the hash is re-read in case a control event was lost. */
        @WithDefault("10s")
        Duration reconcileInterval();

        /** How long start-up waits for the first read of the hash before carrying on with ENABLE_* values. */
        @WithDefault("2s")
        Duration startupSyncTimeout();
    }

    interface Streams {
        /** How long one blocking XREAD waits for new entries. */
        @WithDefault("2s")
        Duration block();

        /** Entries fetched per XREAD at most. */
        @WithDefault("100")
        int batch();

        /** First reconnect delay after Redis fails. */
        @WithDefault("100ms")
        Duration backoffInitial();

        /** Longest reconnect delay. */
        @WithDefault("5s")
        Duration backoffMax();
    }
}
