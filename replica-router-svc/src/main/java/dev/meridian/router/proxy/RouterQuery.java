package dev.meridian.router.proxy;

import dev.meridian.router.pool.ServerConnection;
import dev.meridian.router.wire.BackendMessage;
import io.vertx.core.buffer.Buffer;

/**
 * Owns a server connection while a query of the router's own runs on it (no client sees the
 * reply): each backend message goes to {@link #handle} until it says the reply is over.
 */
abstract class RouterQuery implements ServerConnection.Owner {

    @Override
    public final void onServerData(ServerConnection connection, Buffer data) {
        try {
            connection.reader().append(data);
            BackendMessage message;
            while ((message = connection.reader().nextBackend()) != null) {
                if (handle(connection, message)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            broken(connection, e);
        }
    }

    /** True when the reply is over and the connection has been handed on (to its pool, or closed). */
    abstract boolean handle(ServerConnection connection, BackendMessage message);

    /** The backend broke the protocol: the connection is not to be used again. */
    abstract void broken(ServerConnection connection, RuntimeException e);
}
