package dev.meridian.router.proxy;

import dev.meridian.router.pool.BackendPool;
import dev.meridian.router.pool.ServerConnection;
import dev.meridian.router.wire.BackendMessage;
import dev.meridian.router.wire.Buffers;
import dev.meridian.router.wire.FrontendMessages;

/**
 * Returns a connection a pinned client leaves behind to the pool: {@code DISCARD ALL} drops its
 * session state (settings, prepared statements, temporary tables, LISTENs, advisory locks), then
 * the connection is as fresh as a new one.
 */
final class ServerReset extends RouterQuery {

    private final BackendPool pool;

    private ServerReset(BackendPool pool) {
        this.pool = pool;
    }

    static void run(ServerConnection connection, BackendPool pool) {
        connection.owner(new ServerReset(pool));
        connection.write(Buffers.of(FrontendMessages.query("DISCARD ALL")));
    }

    @Override
    boolean handle(ServerConnection connection, BackendMessage message) {
        if (message.type() == 'E') {
            pool.discard(connection);
            return true;
        }
        if (message.type() == 'Z') {
            connection.prepared().clear();
            connection.settingsReset();
            pool.release(connection);
            return true;
        }
        return false;
    }

    @Override
    void broken(ServerConnection connection, RuntimeException e) {
        pool.discard(connection);
    }

    @Override
    public void onServerClosed(ServerConnection connection) {
        // The pool has already forgotten it.
    }
}
