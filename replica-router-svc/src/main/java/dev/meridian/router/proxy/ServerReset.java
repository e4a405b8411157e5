package dev.meridian.router.proxy;

import dev.meridian.router.pool.BackendPool;
import dev.meridian.router.pool.ServerConnection;
import dev.meridian.router.wire.BackendMessage;
import dev.meridian.router.wire.Buffers;
import dev.meridian.router.wire.FrontendMessages;
import io.vertx.core.buffer.Buffer;

/**
 * Returns a connection a pinned client leaves behind to the pool: {@code DISCARD ALL} drops its
 * session state (settings, prepared statements, temporary tables, LISTENs, advisory locks), then
 * the connection is as fresh as a new one.
 */
final class ServerReset implements ServerConnection.Owner {

    private final BackendPool pool;

    private ServerReset(BackendPool pool) {
        this.pool = pool;
    }

    static void run(ServerConnection connection, BackendPool pool) {
        connection.owner(new ServerReset(pool));
        connection.write(Buffers.of(FrontendMessages.query("DISCARD ALL")));
    }

    @Override
    public void onServerData(ServerConnection connection, Buffer data) {
        try {
            connection.reader().append(data);
            BackendMessage message;
            while ((message = connection.reader().nextBackend()) != null) {
                if (message.type() == 'E') {
                    pool.discard(connection);
                    return;
                }
                if (message.type() == 'Z') {
                    connection.prepared().clear();
                    connection.settingsReset();
                    pool.release(connection);
                    return;
                }
            }
        } catch (RuntimeException e) {
            pool.discard(connection);
        }
    }

    @Override
    public void onServerClosed(ServerConnection connection) {
        // The pool has already forgotten it.
    }
}
