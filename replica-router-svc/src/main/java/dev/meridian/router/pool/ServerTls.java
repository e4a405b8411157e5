package dev.meridian.router.pool;

import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * TLS from the router to its backends, in libpq's {@code sslmode} terms so that operators read it
 * as they read a connection string: {@code disable}; {@code prefer} (TLS when the server offers it,
 * unverified, as libpq and PgBouncer default to); {@code require} (TLS or no connection,
 * unverified); {@code verify-ca} (the server's certificate must chain to {@code ca}); {@code
 * verify-full} (and name the host connected to). The router's server connections, its prober and
 * its auth query all use it.
 *
 * @param mode what is asked of the server
 * @param ca   PEM certificates the verify modes trust
 */
public record ServerTls(Mode mode, Optional<Path> ca) {

    public enum Mode {
        DISABLE, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL;

        /** {@code disable}, {@code prefer}, {@code require}, {@code verify-ca} or {@code verify-full}. */
        public static Mode parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("server TLS mode must be disable, prefer, require, verify-ca or verify-full, not '" + text + "'");
            }
        }
    }

    public ServerTls {
        if ((mode == Mode.VERIFY_CA || mode == Mode.VERIFY_FULL) && ca.isEmpty()) {
            throw new IllegalArgumentException("server TLS mode " + modeName(mode) + " needs the CA certificates to verify against (ROUTER_SERVER_TLS_CA)");
        }
    }

    public static ServerTls parse(String mode, Optional<Path> ca) {
        return new ServerTls(Mode.parse(mode), ca);
    }

    /** Whether the router asks the server for TLS at all. */
    public boolean requested() {
        return mode != Mode.DISABLE;
    }

    /** Whether a server that refuses TLS is refused in turn. */
    public boolean required() {
        return mode != Mode.DISABLE && mode != Mode.PREFER;
    }

    /** The client side of the handshake the router's own connections do after SSLRequest. */
    public NetClientOptions configure(NetClientOptions options) {
        if (mode == Mode.VERIFY_CA || mode == Mode.VERIFY_FULL) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(ca.get().toString()));
        } else {
            options.setTrustAll(true);
        }
        // Checking the name is what verify-full adds to verify-ca.
        options.setHostnameVerificationAlgorithm(mode == Mode.VERIFY_FULL ? "HTTPS" : "");
        return options;
    }

    /** The same for the Reactive PG client (prober, auth query). */
    public PgConnectOptions configure(PgConnectOptions options) {
        options.setSslMode(switch (mode) {
            case DISABLE -> SslMode.DISABLE;
            case PREFER -> SslMode.PREFER;
            case REQUIRE -> SslMode.REQUIRE;
            case VERIFY_CA -> SslMode.VERIFY_CA;
            case VERIFY_FULL -> SslMode.VERIFY_FULL;
        });
        configure((NetClientOptions) options);
        return options;
    }

    /** The mode as it is configured: {@code verify-full}, not VERIFY_FULL. */
    public String modeName() {
        return modeName(mode);
    }

    private static String modeName(Mode mode) {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
