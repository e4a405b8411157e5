package dev.meridian.router.pool;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * Reactive PG client pools for the router's own queries (the prober's, the auth query), as
 * opposed to the proxied server connections: two connections each, TLS as configured.
 */
public final class QueryPools {

    /** Lookups waiting for a connection beyond this fail at once rather than pile up behind a hung server. */
    static final int MAX_WAITING = 64;

    private QueryPools() {
    }

    public static Pool create(Vertx vertx, ServerTls tls, PgConnectOptions connect) {
        // No acquisition timeout of the pool's own: in vertx-sql-client 4.5 its timer outlives a
        // failed connection attempt and fires on the answered query later, logging "Uncaught
        // exception: Result is already complete" for every probe of a server that is down
        // (eclipse-vertx/vertx-sql-client#1706). Callers bound their queries themselves: the prober
        // with its probe timeout, a client's login with the login timeout.
        PoolOptions options = new PoolOptions().setMaxSize(2).setConnectionTimeout(0).setMaxWaitQueueSize(MAX_WAITING);
        return PgBuilder.pool().with(options).connectingTo(tls.configure(connect)).using(vertx).build();
    }
}
