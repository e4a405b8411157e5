package dev.meridian.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** replica-router-svc's configuration ({@code meridian.router.*}). */
@ConfigMapping(prefix = "meridian.router")
public interface RouterConfig {

    /** The primary, {@code postgresql://user:password@host:port/database} ({@code PRIMARY_URL}); its credentials are the prober's. */
    @WithDefault("${PRIMARY_URL:postgresql://meridian:meridian@127.0.0.1:15432/meridian}")
    String primaryUrl();

    /** The replicas, comma-separated URLs like the primary's; {@code ?weight=N} weighs one ({@code REPLICA_URLS}). */
    @WithDefault("${REPLICA_URLS:postgresql://meridian:meridian@127.0.0.1:15433/meridian,postgresql://meridian:meridian@127.0.0.1:15434/meridian}")
    List<String> replicaUrls();

    /** The PostgreSQL wire listener. */
    Listen listen();

    /** How clients prove who they are. */
    Auth auth();

    /** Server connection pools. */
    Pool pool();

    /** Where statements go. */
    Routing routing();

    /** The independent backend prober. */
    Probe probe();

    interface Listen {
        /** Address to bind. */
        @WithDefault("${ROUTER_HOST:0.0.0.0}")
        String host();

        /** Port for PostgreSQL clients. */
        @WithDefault("${ROUTER_PORT:6433}")
        int port();

        /** Clients beyond this many are refused with SQLSTATE 53300. */
        @WithDefault("${ROUTER_MAX_CLIENTS:2000}")
        int maxClients();

        /** Event loops serving clients, each with its own pools ({@code ROUTER_EVENT_LOOPS}; 0 = one per core). */
        @WithDefault("${ROUTER_EVENT_LOOPS:0}")
        int eventLoops();

        /** Largest message a client or backend may send; larger ones are a protocol violation (08P01). */
        @WithDefault("67108864")
        int maxMessageBytes();

        /**
         * Bytes of incomplete messages held for all connections together ({@code
         * ROUTER_MAX_HELD_BYTES}; 0 = a quarter of the heap). A message that would take the router
         * past it ends its connection with 53200; every other connection goes on.
         */
        @WithDefault("${ROUTER_MAX_HELD_BYTES:0}")
        long maxHeldBytes();

        /** PEM certificate chain for TLS to clients ({@code ROUTER_TLS_CERT}); without it SSLRequest is answered {@code N}. */
        @WithDefault("${ROUTER_TLS_CERT:}")
        Optional<Path> tlsCertificate();

        /** PEM private key of that certificate ({@code ROUTER_TLS_KEY}). */
        @WithDefault("${ROUTER_TLS_KEY:}")
        Optional<Path> tlsKey();

        /** Refuse clients that do not ask for TLS (28000), as a {@code hostssl}-only pg_hba.conf does. */
        @WithDefault("${ROUTER_TLS_REQUIRED:false}")
        boolean tlsRequired();

        /**
         * Startup parameters accepted and not applied ({@code ROUTER_IGNORE_STARTUP_PARAMETERS},
         * comma-separated), as PgBouncer's ignore_startup_parameters: others the router cannot
         * carry across pooled connections are refused (08P01). {@code options} here lets settings
         * in the options parameter that the router does not carry pass unapplied.
         */
        @WithDefault("${ROUTER_IGNORE_STARTUP_PARAMETERS:}")
        Optional<List<String>> ignoreStartupParameters();

        /** A client must finish startup and authentication within this time. */
        @WithDefault("15s")
        Duration loginTimeout();

        /**
         * At shutdown, connected clients may finish their transactions for this long (new ones are
         * refused with 57P03, each one let go with 57P01 as its transaction ends); then whoever is
         * left is closed. Keep it below the pod's terminationGracePeriodSeconds (30 s by default).
         */
        @WithDefault("${ROUTER_SHUTDOWN_TIMEOUT:20s}")
        Duration shutdownTimeout();
    }

    interface Auth {
        /** {@code scram-sha-256} or {@code md5}: what the router asks clients for (a user with only an MD5 secret gets MD5). */
        @WithDefault("${ROUTER_AUTH_TYPE:scram-sha-256}")
        String type();

        /** PgBouncer-style userlist: {@code "user" "password or SCRAM-SHA-256$… or md5…"} per line ({@code ROUTER_USERLIST}). */
        @WithDefault("${ROUTER_USERLIST:}")
        Optional<Path> userlist();

        /** How often the userlist file is checked for changes and read again if changed; 0 never. */
        @WithDefault("${ROUTER_USERLIST_RELOAD_INTERVAL:5s}")
        Duration userlistReloadInterval();

        /** Looks users missing from the userlist up on the primary ({@code ROUTER_AUTH_QUERY}), run as {@link #authUser()}. */
        @WithDefault("${ROUTER_AUTH_QUERY:}")
        Optional<String> query();

        /** The role that runs the auth query, {@code user:password} ({@code ROUTER_AUTH_USER}). */
        @WithDefault("${ROUTER_AUTH_USER:}")
        Optional<String> authUser();
    }

    interface Pool {
        /** {@code transaction} (a backend per transaction) or {@code session} (a primary backend per client). */
        @WithDefault("${ROUTER_POOL_MODE:transaction}")
        String mode();

        /** Server connections per backend, user and database, across all event loops. */
        @WithDefault("${ROUTER_POOL_SIZE:20}")
        int size();

        /** Idle server connections older than this are closed. */
        @WithDefault("60s")
        Duration idleTimeout();

        /** Server connections are replaced after this long, even when busy-then-idle. */
        @WithDefault("1h")
        Duration maxLifetime();

        /** A client waiting longer than this for a server connection gets an error (08P01, as PgBouncer's query_wait_timeout). */
        @WithDefault("30s")
        Duration acquireTimeout();

        /**
         * A client that keeps a transaction open on a server connection and sends nothing for this
         * long is ended (25P03, as PostgreSQL's idle_in_transaction_session_timeout; PgBouncer's
         * idle_transaction_timeout) and its transaction rolled back, so that a few clients that
         * forget to commit cannot take a pool's connections from everyone else. 0: never
         * ({@code ROUTER_IDLE_TRANSACTION_TIMEOUT}).
         */
        @WithDefault("${ROUTER_IDLE_TRANSACTION_TIMEOUT:0s}")
        Duration idleTransactionTimeout();

        /** Opening a server connection (TCP and authentication) may take this long. */
        @WithDefault("5s")
        Duration connectTimeout();

        /**
         * The router's prepared statements each server connection keeps; beyond it the least
         * recently used is closed on the server (PgBouncer's max_prepared_statements,
         * {@code ROUTER_MAX_PREPARED_STATEMENTS}).
         */
        @WithDefault("${ROUTER_MAX_PREPARED_STATEMENTS:200}")
        int maxPreparedStatements();

        /**
         * TLS to backends, as libpq's sslmode: {@code disable}, {@code prefer}, {@code require},
         * {@code verify-ca}, {@code verify-full} ({@code ROUTER_SERVER_TLS}).
         */
        @WithDefault("${ROUTER_SERVER_TLS:prefer}")
        String serverTls();

        /** PEM CA certificates that verify-ca and verify-full check backends against ({@code ROUTER_SERVER_TLS_CA}). */
        @WithDefault("${ROUTER_SERVER_TLS_CA:}")
        Optional<Path> serverTlsCa();

        /** Backend password when the userlist holds only a hash for the user ({@code ROUTER_BACKEND_PASSWORD}). */
        @WithDefault("${ROUTER_BACKEND_PASSWORD:}")
        Optional<String> backendPassword();
    }

    interface Routing {
        /** {@code read-your-writes}, {@code eventual} or {@code primary} ({@code ROUTER_CONSISTENCY}). */
        @WithDefault("${ROUTER_CONSISTENCY:read-your-writes}")
        String consistency();

        /** Whose writes a read must see under read-your-writes: {@code user} (every session of the role, as pooled apps need) or {@code session}. */
        @WithDefault("${ROUTER_RYW_SCOPE:user}")
        String readYourWritesScope();

        /** A replica further behind the primary than this gets no reads. */
        @WithDefault("${ROUTER_MAX_LAG_BYTES:8388608}")
        long maxLagBytes();

        /** A replica whose replay is this far behind in time gets no reads. */
        @WithDefault("${ROUTER_MAX_LAG:5s}")
        Duration maxLag();

        /** The primary's weight among read targets; 0 keeps reads off it while a replica is eligible. */
        @WithDefault("${ROUTER_PRIMARY_READ_WEIGHT:0}")
        int primaryReadWeight();

        /** Functions whose call sends a read to the primary; empty means the built-in list. */
        Optional<List<String>> writingFunctions();

        /**
         * A read a standby refuses (it writes, runs only on a primary, or the role's transactions are
         * serializable), not yet answered with any byte, runs again on the primary, and its statement
         * (or the role's reads, for five minutes) goes there from then on; false passes the standby's
         * error to the client ({@code ROUTER_REROUTE_REFUSED_READS}).
         */
        @WithDefault("${ROUTER_REROUTE_REFUSED_READS:true}")
        boolean rerouteRefusedReads();
    }

    interface Probe {
        /** How often each backend is probed. */
        @WithDefault("${ROUTER_PROBE_INTERVAL:100ms}")
        Duration interval();

        /** How often the primary's WAL position is sampled (read-your-writes waits for a sample taken after the write). */
        @WithDefault("20ms")
        Duration primaryLsnInterval();

        /** A probe slower than this failed. */
        @WithDefault("1s")
        Duration timeout();

        /** Failed probes in a row before a backend is ejected. */
        @WithDefault("2")
        int fall();

        /** Passed probes in a row before an ejected backend takes traffic again. */
        @WithDefault("2")
        int rise();
    }
}
