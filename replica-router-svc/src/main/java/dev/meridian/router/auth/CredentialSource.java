package dev.meridian.router.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.Iterator;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Finds a role's credential: the userlist first, then (when configured) the auth query on the
 * writer, run as the auth role, as PgBouncer's {@code auth_query} does. The query takes the role
 * name as {@code $1} and returns the name and the secret. The writer is asked for its pool at each
 * lookup, so that after a failover logins are checked on the promoted server.
 */
public final class CredentialSource {

    private final Supplier<Userlist> userlist;
    private final Supplier<Pool> authPool;
    private final String authQuery;

    /**
     * {@code userlist}: the list in force at each lookup (it may be reloaded); {@code authPool}: the
     * auth role's pool on the current writer, null without an auth query.
     */
    public CredentialSource(Supplier<Userlist> userlist, Supplier<Pool> authPool, String authQuery) {
        this.userlist = userlist;
        this.authPool = authPool;
        this.authQuery = authQuery;
    }

    public Future<Optional<Credential>> lookup(String user) {
        Optional<String> listed = userlist.get().secret(user);
        if (listed.isPresent() || authPool == null) {
            return Future.succeededFuture(listed.map(secret -> new Credential(user, secret)));
        }
        return authPool.get().preparedQuery(authQuery).execute(Tuple.of(user)).map(rows -> {
            Iterator<Row> it = rows.iterator();
            if (!it.hasNext()) {
                return Optional.<Credential>empty();
            }
            String secret = it.next().getString(1);
            return Optional.ofNullable(secret).map(s -> new Credential(user, s));
        });
    }
}
