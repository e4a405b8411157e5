package dev.meridian.router.pool;

import dev.meridian.router.probe.BackendNode;
import dev.meridian.router.routing.SettingAssignment;
import dev.meridian.router.wire.ChannelWriter;
import dev.meridian.router.wire.DirectReads;
import dev.meridian.router.wire.FrameReader;
import io.quarkus.logging.Log;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.util.HashMap;
import java.util.Map;

/**
 * One authenticated connection to a backend. Between clients it sits in its pool; while lent it
 * delivers everything the backend sends to its {@link Owner}. It remembers which of the router's
 * prepared statements exist on it and which session settings it carries, so a client borrowing
 * it gets its own statements and settings without a reset.
 */
public final class ServerConnection {

    /** Who receives the backend's bytes while the connection is lent. */
    public interface Owner {
        void onServerData(ServerConnection connection, Buffer data);

        void onServerClosed(ServerConnection connection);
    }

    private final NetSocket socket;
    private final ChannelWriter writer;
    private final BackendNode node;
    private final FrameReader reader;
    private final Map<String, String> defaults;
    private final Map<String, String> applied;
    private final Map<String, SettingAssignment> assignments = new HashMap<>();
    private final PreparedStatements prepared;
    private final int processId;
    private final int secretKey;
    private final long createdNanos = System.nanoTime();
    private long releasedNanos = System.nanoTime();
    private BackendPool pool;
    private Owner owner;
    private Object settingsSignature;
    private boolean closed;

    ServerConnection(NetSocket socket, BackendNode node, FrameReader reader, Map<String, String> reported,
                     int processId, int secretKey, int maxPreparedStatements) {
        this.socket = socket;
        this.prepared = new PreparedStatements(maxPreparedStatements);
        this.writer = new ChannelWriter(socket);
        this.node = node;
        this.reader = reader;
        this.defaults = Map.copyOf(reported);
        this.applied = new HashMap<>(reported);
        this.processId = processId;
        this.secretKey = secretKey;
        DirectReads.handle(socket, this::onData);
        socket.closeHandler(v -> onClosed());
        socket.exceptionHandler(e -> socket.close());
    }

    private void onData(Buffer data) {
        if (closed) {
            // Bytes still in flight after the router closed it: nobody is owed them, nothing may hold them.
            return;
        }
        try {
            if (owner != null) {
                owner.onServerData(this, data);
            } else {
                // An idle connection has nothing to say except that it is going away (e.g. 57P01); drop it.
                close();
            }
        } finally {
            if (!reader.keepUnread()) {
                Log.warnf("backend=%s sent a message larger than the router may hold now (max-held-bytes); connection closed", node.name());
                close();
            }
        }
    }

    private void onClosed() {
        closed = true;
        reader.release();
        Owner current = owner;
        owner = null;
        if (pool != null) {
            pool.closed(this);
        }
        if (current != null) {
            current.onServerClosed(this);
        }
    }

    void pool(BackendPool pool) {
        this.pool = pool;
    }

    public void owner(Owner owner) {
        this.owner = owner;
    }

    public NetSocket socket() {
        return socket;
    }

    public BackendNode node() {
        return node;
    }

    public FrameReader reader() {
        return reader;
    }

    /** ParameterStatus values the backend reported at startup: the defaults a client without its own gets. */
    public Map<String, String> defaults() {
        return defaults;
    }

    /** The session settings this connection carries now, by name (null: unknown, set it again). */
    public Map<String, String> applied() {
        return applied;
    }

    /** The clients' SETs the router replayed or saw succeed here and has not reset, by setting name. */
    public Map<String, SettingAssignment> assignments() {
        return assignments;
    }

    /** DISCARD ALL ran on it: back to the settings it had at startup, no SET of a client's left. */
    public void settingsReset() {
        applied.clear();
        applied.putAll(defaults);
        assignments.clear();
        settingsSignature = null;
    }

    /**
     * Its settings were last brought in line with a client's whose settings have {@code signature}
     * (equal settings, one signature: see SessionSettings) and nothing has changed them since.
     */
    public boolean carries(Object signature) {
        return settingsSignature == signature;
    }

    /** Records whose settings {@link #applied()} now matches; null after anything else changed them. */
    public void carrying(Object signature) {
        settingsSignature = signature;
    }

    /** Names of the router's prepared statements that exist on this connection. */
    public PreparedStatements prepared() {
        return prepared;
    }

    public int processId() {
        return processId;
    }

    public int secretKey() {
        return secretKey;
    }

    public long createdNanos() {
        return createdNanos;
    }

    long releasedNanos() {
        return releasedNanos;
    }

    void released() {
        releasedNanos = System.nanoTime();
        owner = null;
        // Its last owner may have stopped reading it for a client that was slow or gone: the next
        // owner must hear it, and an idle one must be heard going away.
        socket.drainHandler(null);
        DirectReads.resume(socket);
    }

    public boolean isClosed() {
        return closed;
    }

    /** Writes {@code data} as it is (no copy: it must not change after); see {@link ChannelWriter}. */
    public void write(Buffer data) {
        writer.write(data);
    }

    /** The backend is not taking bytes as fast as they come. */
    public boolean writeQueueFull() {
        return writer.full();
    }

    public void close() {
        if (!closed) {
            closed = true;
            socket.close();
        }
    }
}
