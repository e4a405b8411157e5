package dev.meridian.router.proxy;

import dev.meridian.router.pool.BackendError;
import dev.meridian.router.pool.BackendPool;
import dev.meridian.router.pool.ServerConnection;
import dev.meridian.router.wire.BackendMessage;
import dev.meridian.router.wire.Buffers;
import dev.meridian.router.wire.FrontendMessages;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client's startup settings tried on a server before the client is told it is in. PostgreSQL
 * refuses a connection whose TimeZone, DateStyle or client_encoding it does not accept (FATAL
 * 22023); the router applies them on pooled connections later, where a refusal could only be a
 * notice while the client's statements ran under the server's values. So each value not seen
 * accepted before is set in a transaction that is rolled back, and a refusal ends the login with
 * PostgreSQL's own error.
 */
final class StartupSettingsCheck extends RouterQuery {

    /** name NUL value of settings a server accepted; bounded, past it a value is tried at every login. */
    private static final Set<String> ACCEPTED = ConcurrentHashMap.newKeySet();
    static final int MAX_ACCEPTED = 4096;

    private final BackendPool pool;
    private final List<String> tried;
    private final Promise<Void> result = Promise.promise();
    private String refusedState;
    private String refusedMessage;

    private StartupSettingsCheck(BackendPool pool, List<String> tried) {
        this.pool = pool;
        this.tried = tried;
    }

    /** The settings of {@code settings} not known to be accepted, as name NUL value; empty when there is nothing to try. */
    static List<String> untried(SessionSettings settings) {
        List<String> untried = new ArrayList<>(0);
        for (String name : SessionSettings.TRACKED) {
            String value = settings.explicit(name);
            // Any application_name is accepted (PostgreSQL replaces what it cannot print).
            if (value != null && !name.equals("application_name") && !ACCEPTED.contains(name + '\0' + value)) {
                untried.add(name + '\0' + value);
            }
        }
        return untried;
    }

    /** Tries {@code untried} on {@code connection}, which goes back to {@code pool} as it was (or is closed after a refusal). */
    static Future<Void> run(ServerConnection connection, BackendPool pool, List<String> untried) {
        StartupSettingsCheck check = new StartupSettingsCheck(pool, untried);
        connection.owner(check);
        connection.write(Buffers.of(FrontendMessages.query(statement(untried))));
        return check.result.future();
    }

    /** Local to a transaction that is rolled back: the connection keeps its own settings. */
    static String statement(List<String> untried) {
        StringBuilder sql = new StringBuilder("BEGIN");
        for (String setting : untried) {
            int split = setting.indexOf('\0');
            sql.append("; SELECT pg_catalog.set_config(").append(SessionSettings.quoteLiteral(setting.substring(0, split))).append(", ")
                    .append(SessionSettings.quoteLiteral(setting.substring(split + 1))).append(", true)");
        }
        return sql.append("; ROLLBACK").toString();
    }

    @Override
    boolean handle(ServerConnection connection, BackendMessage message) {
        if (message.type() == 'E' && refusedState == null) {
            refusedState = message.field('C');
            refusedMessage = message.field('M');
        } else if (message.type() == 'Z') {
            finish(connection, (char) message.body().get(0));
            return true;
        }
        return false;
    }

    @Override
    void broken(ServerConnection connection, RuntimeException e) {
        pool.discard(connection);
        result.tryFail(new BackendError("08006", "checking the startup settings failed: " + e.getMessage()));
    }

    private void finish(ServerConnection connection, char status) {
        if (refusedState == null && status == 'I') {
            if (ACCEPTED.size() < MAX_ACCEPTED) {
                ACCEPTED.addAll(tried);
            }
            pool.release(connection);
            result.tryComplete();
            return;
        }
        // Left in a failed transaction block: closed rather than rolled back, as refusals are rare.
        pool.discard(connection);
        result.tryFail(new BackendError(refusedState != null ? refusedState : "08006",
                refusedMessage != null ? refusedMessage : "checking the startup settings left a transaction open"));
    }

    @Override
    public void onServerClosed(ServerConnection connection) {
        result.tryFail(new BackendError("08006", "server connection closed while checking the startup settings"));
    }
}
