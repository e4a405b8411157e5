package dev.meridian.router.proxy;

import dev.meridian.router.auth.BackendCredentials;
import dev.meridian.router.auth.ScramKeys;
import dev.meridian.router.pool.BackendError;
import dev.meridian.router.pool.BackendPool;
import dev.meridian.router.pool.ServerConnection;
import dev.meridian.router.probe.BackendNode;
import dev.meridian.router.routing.RefusedReads;
import dev.meridian.router.routing.Route;
import dev.meridian.router.routing.SettingAssignment;
import dev.meridian.router.routing.StatementInfo;
import dev.meridian.router.routing.TransactionEffect;
import dev.meridian.router.wire.BackendMessage;
import dev.meridian.router.wire.BackendMessages;
import dev.meridian.router.wire.Buffers;
import dev.meridian.router.wire.DirectReads;
import dev.meridian.router.wire.FrameReader;
import dev.meridian.router.wire.FrontendMessage;
import dev.meridian.router.wire.FrontendMessages;
import dev.meridian.router.wire.MessageDecoder;
import dev.meridian.router.wire.ProtocolException;
import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A logged-in client's statements on their way to backends and the replies on their way back.
 * Extended-protocol messages are gathered up to Sync (or Flush) and routed as one unit; a unit
 * goes to a replica only when every statement in it may. While a transaction is open, a client
 * is pinned, or replies are outstanding, the same server connection serves everything.
 */
final class StatementRelay {

    private final RouterRuntime runtime;
    private final LoopPools pools;
    private final ClientSession session;
    private final ResponseSequencer responses = new ResponseSequencer();
    private final Map<String, ClientStatement> statements = new HashMap<>();
    private final List<Step> batch = new ArrayList<>();
    private final Set<BackendNode> failed = new HashSet<>();
    private final Map<BackendNode, BackendPool> ownPools = new IdentityHashMap<>(4);
    /** What goes to the server connection at the next flush; null when nothing. */
    private Buffer toServer;
    /** {@link #toServer} is a buffer handed in (a client's message), to be copied before anything is added to it. */
    private boolean toServerBorrowed;
    private String user;
    private String database;
    private BackendCredentials backendCredentials;
    private String scope;
    private SessionSettings settings;
    private boolean sessionMode;
    private ClientStatement unnamed;
    private ClientStatement serverUnnamed;
    private boolean batchPrimary;
    private boolean batchWrites;
    private boolean batchPins;
    private volatile ServerConnection server;
    private BackendPool serverPool;
    private boolean serverIsRead;
    private char serverStatus = 'I';
    private boolean awaitingSync;
    /**
     * An error made the backend skip what follows up to the client's Sync, and some of that has not
     * been sent yet: it is dropped here, as PostgreSQL drops it, its statement changes taken back.
     */
    private boolean skippingToSync;
    private boolean pinned;
    private boolean copying;
    private boolean wrote;
    private boolean blocked;
    /**
     * A unit for the primary that the client pipelined behind a read still running on a replica:
     * it waits for that read's reply, then goes where it belongs (see {@link #dispatch}).
     */
    private Parked parked;

    private record Parked(List<Step> steps, boolean pins, boolean writes) {
    }
    private Buffer deferredBegin;
    /** The deferred BEGIN had no transaction modes: the session's default access mode, or a SET TRANSACTION READ ONLY next, decides. */
    private boolean deferredBeginTakesDefaults;
    /** What the unnamed portal's statement does (null: a statement the router does not know). */
    private StatementInfo unnamedPortal;
    /** Carried SETs that have succeeded, waiting for the end of their implicit transaction (see observe). */
    private final List<SettingAssignment> assignedPending = new ArrayList<>(1);
    /**
     * Prepared statements the server connection had when a DEALLOCATE ALL or DISCARD ALL went to
     * it: forgotten when its CommandComplete comes (not before: it may fail; not all of them
     * later: statements prepared after it in the same pipeline survive it).
     */
    private Set<String> droppedOnSuccess;
    /** 0: clients may sit in a transaction as long as they like. */
    private final long idleTransactionMillis;
    private long idleTransactionTimer = -1;
    private boolean deferredFailed;
    /** A read not yet answered with any byte: resent elsewhere if its backend fails. */
    private List<Step> retryable;
    /**
     * The reply of a retryable read so far, held back until it is complete (or large): a backend
     * stopped at once flushes what it had buffered (ParseComplete, BindComplete, RowDescription)
     * with its farewell notice, and once those reach the client the read can no longer be resent.
     */
    private Buffer heldReply;
    /** The retryable read's reply so far holds an error by which a standby refused it (see {@link RefusedReads}). */
    private RefusedReads.Refusal refusal;
    private String refusalMessage;
    /**
     * The settings query the router slipped in before the client's statement failed on this server
     * connection: what settings it has is not known, so it is closed when the client is done with it.
     */
    private boolean serverSettingsUnknown;
    /** database/user: whose reads go to the primary while standbys refuse the role's serializable snapshots. */
    private String role;

    /**
     * Statement changes of messages an error made the backend refuse or skip, in the client's
     * order: taken back once the error reaches the client, dropped if the read runs again elsewhere.
     */
    private List<StatementChange.Undone> undoPending;
    /**
     * Statements whose Parse was taken back while a Bind or Describe of them, decided when it
     * arrived, was still to be sent (parked, or waiting for a connection), each with what the name
     * means instead (null: nothing; an unnamed Parse skipped leaves the one before it).
     */
    private final Map<ClientStatement, ClientStatement> withdrawn = new IdentityHashMap<>(2);

    /** Reply bytes are held for a retryable read up to this size, then it streams and cannot be retried. */
    static final int MAX_HELD_REPLY_BYTES = 64 * 1024;
    /** Backend rows and COPY data longer than this are streamed, not held whole (the longest read is 64 KiB). */
    static final int STREAMED_MESSAGE_BYTES = 64 * 1024;

    StatementRelay(RouterRuntime runtime, LoopPools pools, ClientSession session) {
        this.runtime = runtime;
        this.pools = pools;
        this.session = session;
        this.idleTransactionMillis = runtime.config().pool().idleTransactionTimeout().toMillis();
    }

    void identify(String user, String database, SessionSettings settings, BackendCredentials backendCredentials) {
        this.user = user;
        this.database = database;
        this.settings = settings;
        this.backendCredentials = backendCredentials;
        this.role = database + "/" + user;
        this.sessionMode = runtime.config().pool().mode().equalsIgnoreCase("session");
    }

    /** After SCRAM: the keys the client proved, for backends when no password is known. */
    void provenKeys(ScramKeys keys) {
        backendCredentials = backendCredentials.withKeys(keys);
    }

    SessionSettings settings() {
        return settings;
    }

    void ready(int processId) {
        boolean perSession = runtime.config().routing().readYourWritesScope().equalsIgnoreCase("session");
        scope = perSession ? "session:" + processId : "role:" + database + "/" + user;
    }

    boolean blocked() {
        return blocked || parked != null;
    }

    /**
     * Before the client is told it is in: the primary accepts this role and database (so a missing
     * database fails at login, as it would directly); returns the backend's ParameterStatus values.
     */
    Future<Map<String, String>> checkBackendLogin() {
        Map<String, String> known = pools.parameters(database, user);
        // The client's startup settings too, as PostgreSQL refuses a login with a value it does not accept.
        List<String> untried = StartupSettingsCheck.untried(settings);
        if (known != null && untried.isEmpty()) {
            return Future.succeededFuture(known);
        }
        BackendPool pool = pools.pool(runtime.selector().writer(), database, user, backendCredentials);
        return pool.acquire().compose(connection -> {
            Map<String, String> parameters = known;
            if (parameters == null) {
                parameters = connection.defaults();
                pools.rememberParameters(database, user, parameters);
            }
            if (untried.isEmpty()) {
                pool.release(connection);
                return Future.succeededFuture(parameters);
            }
            return StartupSettingsCheck.run(connection, pool, untried).map(parameters);
        });
    }

    // ---- client → router

    void fromClient(FrontendMessage message, Buffer raw) {
        stopIdleTransactionTimer();
        switch (message.type()) {
            case 'Q' -> simpleQuery(message, raw);
            case 'F' -> functionCall(raw);
            case 'P' -> parse(message);
            case 'B' -> bind(message, raw);
            case 'D' -> describe(message, raw);
            case 'E' -> batch.add(execute(message, raw));
            case 'C' -> closeStatement(message, raw);
            case 'H' -> {
                batch.add(new Step.Raw(raw, null));
                dispatchBatch();
            }
            case 'S' -> {
                batch.add(new Step.Raw(raw, ResponseSequencer.Kind.SYNC));
                dispatchBatch();
            }
            case 'd', 'c', 'f' -> {
                // COPY data goes to the backend running the COPY; outside COPY the backend ignores it too.
                if (server != null) {
                    toServer(raw);
                }
            }
            case 'X' -> session.close();
            default -> throw new ProtocolException("unexpected message type '" + (char) message.type() + "' after authentication");
        }
    }

    /** A fastpath function call: on the primary (what it calls is not known), after any unsynced batch, as a Query. */
    private void functionCall(Buffer raw) {
        Step call = new Step.Raw(raw, ResponseSequencer.Kind.QUERY);
        if (batch.isEmpty()) {
            dispatch(List.of(call), Route.PRIMARY, false, true);
            return;
        }
        batchPrimary = true;
        batchWrites = true;
        batch.add(call);
        dispatchBatch();
    }

    private void simpleQuery(FrontendMessage message, Buffer raw) {
        // PostgreSQL drops the unnamed statement and portal at every simple Query.
        unnamed = null;
        unnamedPortal = null;
        String sql = MessageDecoder.queryText(message);
        StatementInfo info = runtime.classifier().classify(sql);
        if (!batch.isEmpty()) {
            // Inside an extended batch not yet synced: PostgreSQL runs it after the messages before
            // it, or skips it if one of them failed. It goes with them, in their order.
            note(info);
            batch.add(queryStep(info, raw));
            dispatchBatch();
            return;
        }
        boolean readWriteOrDefault = info.transaction() == TransactionEffect.BEGIN_DEFAULT || info.transaction() == TransactionEffect.BEGIN;
        if (server == null && deferredBegin == null && readWriteOrDefault && "begin".equals(info.command())) {
            // Answered here and sent with the next statement: one round trip less, and the next
            // statement decides where the transaction runs (SET TRANSACTION READ ONLY → a replica).
            deferredBegin = raw;
            deferredBeginTakesDefaults = info.transaction() == TransactionEffect.BEGIN_DEFAULT;
            reply(BackendMessages.commandComplete("BEGIN"), BackendMessages.readyForQuery('T'));
            return;
        }
        if (server == null && deferredBegin != null) {
            if (info.transaction() == TransactionEffect.END && info.command() != null) {
                boolean commit = (info.command().equals("commit") || info.command().equals("end")) && !deferredFailed;
                deferredBegin = null;
                deferredFailed = false;
                reply(BackendMessages.commandComplete(commit ? "COMMIT" : "ROLLBACK"), BackendMessages.readyForQuery('I'));
                return;
            }
            if (deferredFailed) {
                reply(BackendMessages.error("ERROR", "25P02", "current transaction is aborted, commands ignored until end of transaction block"),
                        BackendMessages.readyForQuery('E'));
                return;
            }
        }
        Route route = info.route();
        if (deferredBegin != null) {
            boolean readOnly = deferredBeginTakesDefaults && info.transaction() == TransactionEffect.SET_READ_ONLY
                    || deferredBeginReadOnly() && info.route() == Route.REPLICA;
            route = readOnly ? Route.REPLICA : Route.PRIMARY;
        }
        dispatch(List.of(queryStep(info, raw)), route, info.pinsSession(), writes(info));
    }

    private static Step queryStep(StatementInfo info, Buffer raw) {
        return info.dropsPreparedStatements() ? new Step.DropsPrepared(raw, ResponseSequencer.Kind.QUERY)
                : info.assignment() != null ? new Step.Assigns(raw, ResponseSequencer.Kind.QUERY, info.assignment())
                : new Step.Raw(raw, ResponseSequencer.Kind.QUERY);
    }

    private Step execute(FrontendMessage message, Buffer raw) {
        StatementInfo portal = executesUnnamedPortal(message) ? unnamedPortal : null;
        if (portal != null && portal.dropsPreparedStatements()) {
            return new Step.DropsPrepared(raw, ResponseSequencer.Kind.EXECUTE);
        }
        if (portal != null && portal.assignment() != null) {
            return new Step.Assigns(raw, ResponseSequencer.Kind.EXECUTE, portal.assignment());
        }
        return new Step.Raw(raw, ResponseSequencer.Kind.EXECUTE);
    }

    private static boolean executesUnnamedPortal(FrontendMessage execute) {
        return execute.body().remaining() > 0 && execute.body().get(execute.body().position()) == 0;
    }

    private void parse(FrontendMessage message) {
        ByteBuffer body = message.body().duplicate();
        String name = MessageDecoder.cString(body, "Parse");
        byte[] tail = new byte[body.remaining()];
        body.duplicate().get(tail);
        String query = MessageDecoder.cString(body, "Parse");
        StatementInfo info = runtime.classifier().classify(query);
        note(info);
        if (name.isEmpty()) {
            ClientStatement before = unnamed;
            unnamed = new ClientStatement("", tail, info);
            batch.add(new Step.Prepare(unnamed, new StatementChange(name, before, unnamed)));
        } else {
            ClientStatement statement = new ClientStatement(ClientStatement.serverNameFor(tail), tail, info);
            if (statements.containsKey(name)) {
                batch.add(new Step.PrepareOpenName(statement, name));
                return;
            }
            statements.put(name, statement);
            batch.add(new Step.Prepare(statement, new StatementChange(name, null, statement)));
        }
    }

    private void bind(FrontendMessage message, Buffer raw) {
        ByteBuffer body = message.body().duplicate();
        String portal = MessageDecoder.cString(body, "Bind");
        String name = MessageDecoder.cString(body, "Bind");
        ClientStatement statement = name.isEmpty() ? unnamed : statements.get(name);
        if (portal.isEmpty()) {
            unnamedPortal = statement != null ? statement.info() : null;
        } else if (statement != null && statement.info().assignment() != null) {
            // A SET in a named portal runs whenever it is executed: not followed, it pins.
            batchPins = true;
        }
        if (statement == null) {
            // Unknown here means unknown to PostgreSQL too: let the backend say so (26000).
            forgetServerUnnamed(name);
            batch.add(new Step.Raw(raw, ResponseSequencer.Kind.BIND));
            return;
        }
        note(statement.info());
        Buffer rewritten = Buffer.buffer().appendByte((byte) 'B').appendInt(0);
        cString(rewritten, portal);
        cString(rewritten, statement.serverName());
        byte[] rest = new byte[body.remaining()];
        body.get(rest);
        rewritten.appendBytes(rest).setInt(1, rewritten.length() - 1);
        batch.add(new Step.Use(statement, rewritten, ResponseSequencer.Kind.BIND, raw));
    }

    private void describe(FrontendMessage message, Buffer raw) {
        ByteBuffer body = message.body().duplicate();
        byte kind = MessageDecoder.subtype(body, "Describe");
        String name = MessageDecoder.cString(body, "Describe");
        if (kind != 'S') {
            batch.add(new Step.Raw(raw, ResponseSequencer.Kind.DESCRIBE_PORTAL));
            return;
        }
        ClientStatement statement = name.isEmpty() ? unnamed : statements.get(name);
        if (statement == null) {
            forgetServerUnnamed(name);
            batch.add(new Step.Raw(raw, ResponseSequencer.Kind.DESCRIBE_STATEMENT));
            return;
        }
        note(statement.info());
        Buffer rewritten = Buffer.buffer().appendByte((byte) 'D').appendInt(0).appendByte((byte) 'S');
        cString(rewritten, statement.serverName());
        rewritten.setInt(1, rewritten.length() - 1);
        batch.add(new Step.Use(statement, rewritten, ResponseSequencer.Kind.DESCRIBE_STATEMENT, raw));
    }

    /**
     * The client names the unnamed statement without having one: the server connection may still
     * hold another client's, which it would bind or describe. Closed there first (its CloseComplete
     * hidden), so the backend answers 26000 as PostgreSQL answers this client directly.
     */
    private void forgetServerUnnamed(String name) {
        if (name.isEmpty()) {
            batch.add(new Step.Raw(Buffers.of(FrontendMessages.closeStatement("")), ResponseSequencer.Kind.HIDDEN_CLOSE));
        }
    }

    private void closeStatement(FrontendMessage message, Buffer raw) {
        ByteBuffer body = message.body().duplicate();
        byte kind = MessageDecoder.subtype(body, "Close");
        String name = MessageDecoder.cString(body, "Close");
        if (kind == 'S' && !name.isEmpty()) {
            // The backend keeps it for every client that prepares the same text; the client sees it closed.
            ClientStatement closed = statements.remove(name);
            batch.add(new Step.Synthetic(Buffers.of(BackendMessages.closeComplete()),
                    closed == null ? null : new StatementChange(name, closed, null)));
        } else {
            batch.add(new Step.Raw(raw, ResponseSequencer.Kind.CLOSE));
        }
    }

    private void note(StatementInfo info) {
        // A plain BEGIN in a session whose transactions are read-only by default is a BEGIN READ ONLY.
        boolean readOnlyBegin = info.transaction() == TransactionEffect.BEGIN_DEFAULT && settings.readOnlyByDefault();
        batchPrimary |= info.route() != Route.REPLICA && !readOnlyBegin;
        batchWrites |= writes(info);
        batchPins |= info.pinsSession();
    }

    /** Needs the primary for what it does, not merely for being part of a transaction. */
    private static boolean writes(StatementInfo info) {
        return info.route() == Route.PRIMARY && !info.transaction().begins()
                && info.transaction() != TransactionEffect.END && info.transaction() != TransactionEffect.SET_READ_ONLY;
    }

    private void dispatchBatch() {
        List<Step> steps = List.copyOf(batch);
        batch.clear();
        boolean primary = batchPrimary;
        boolean writes = batchWrites;
        boolean pins = batchPins;
        batchPrimary = false;
        batchWrites = false;
        batchPins = false;
        dispatch(steps, primary || deferredBegin != null && !deferredBeginReadOnly() ? Route.PRIMARY : Route.REPLICA, pins, writes);
    }

    /**
     * The client's messages up to its Sync, dropped as the backend skips them after an error (what
     * their Parse or Close did taken back); what is left from the Sync on, empty if it has not come.
     */
    private List<Step> afterSkipped(List<Step> steps) {
        List<StatementChange.Undone> skipped = new ArrayList<>(2);
        List<Step> rest = List.of();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step instanceof Step.Raw raw && raw.expect() == ResponseSequencer.Kind.SYNC) {
                skippingToSync = false;
                rest = steps.subList(i, steps.size());
                break;
            }
            StatementChange change = step instanceof Step.Prepare prepare ? prepare.change()
                    : step instanceof Step.Synthetic synthetic ? synthetic.change() : null;
            if (change != null) {
                skipped.add(new StatementChange.Undone(change, false));
            }
        }
        if (!skipped.isEmpty()) {
            undo(skipped);
        }
        if (undoPending != null && retryable == null) {
            undoPending();
        }
        return rest;
    }

    /** A plain BEGIN is deferred in a session whose transactions are read-only by default: a BEGIN READ ONLY. */
    private boolean deferredBeginReadOnly() {
        return deferredBegin != null && deferredBeginTakesDefaults && settings.readOnlyByDefault();
    }

    private void dispatch(List<Step> steps, Route route, boolean pins, boolean writes) {
        if (skippingToSync) {
            steps = afterSkipped(steps);
            if (steps.isEmpty()) {
                return;
            }
            pins = false;
            writes = false;
            if (server == null) {
                // The batch failed on a replica and its connection went back to the pool (see below):
                // nothing is open, and the client's Sync is answered as the backend answered it.
                reply(BackendMessages.readyForQuery('I'));
                return;
            }
        }
        if (server != null && serverIsRead && route == Route.PRIMARY && awaitingSync && serverStatus == 'I' && !pinned && !copying) {
            // A batch the client flushed to a replica goes on, before its Sync, with a statement for
            // the primary: sent there, a write would fail (25006). A hidden Sync ends the batch's
            // implicit transaction on the replica (its reads have run, their replies are the client's),
            // then the rest goes to the primary, or is skipped up to the client's Sync if the batch failed.
            releaseHeld();
            toServer(Buffers.of(FrontendMessages.sync()));
            responses.expect(ResponseSequencer.Kind.HIDDEN_SYNC);
            awaitingSync = false;
            parked = new Parked(steps, pins, writes);
            DirectReads.pause(session.socket());
            return;
        }
        if (server != null && serverIsRead && route == Route.PRIMARY && !responses.idle() && !pinned && !awaitingSync && !copying) {
            // Pipelined behind a read on a replica: sent after it there, a write would fail (25006) and a
            // LISTEN would listen on the wrong server. It waits, and the client's next messages with it,
            // until that read is answered, and then goes to the primary, or to the same replica if a
            // read-only transaction is still open there (the ROLLBACK ahead of it may have ended it); the
            // order of replies stays the client's.
            parked = new Parked(steps, pins, writes);
            DirectReads.pause(session.socket());
            return;
        }
        pinned |= pins;
        wrote |= writes;
        if (server != null && runtime.cluster().fenced(server.node())) {
            // A standby was promoted while this server still takes writes: the fence sweep closes its
            // connections within 500 ms; until then nothing more of a client's may reach it (a COMMIT
            // there would be a write the new primary never sees).
            String name = server.node().name();
            toServer = null;
            detach(false);
            session.fatal("08006", "server connection to " + name + " was cut: it is no longer the primary");
            return;
        }
        if (server != null) {
            // More for the same backend before its last reply is complete: what it said so far goes
            // out first, and from here a loss cannot be mended by resending only the first part.
            releaseHeld();
            send(steps);
            countRouted(server.node(), !writes);
            return;
        }
        boolean read = route == Route.REPLICA && !sessionMode && !runtime.classifier().refusedReads().roleRefused(role);
        BackendNode node = read ? runtime.selector().forRead(scope, failed) : runtime.selector().writer();
        acquire(node, steps, read, writes);
    }

    private void acquire(BackendNode node, List<Step> steps, boolean read, boolean writes) {
        BackendPool pool = poolFor(node);
        Future<ServerConnection> pending = pool.acquire();
        if (pending.isComplete()) {
            acquired(pool, node, steps, read, writes, pending);
            return;
        }
        blocked = true;
        DirectReads.pause(session.socket());
        pending.onComplete(done -> {
            blocked = false;
            DirectReads.resume(session.socket());
            acquired(pool, node, steps, read, writes, done.failed() ? Future.failedFuture(done.cause()) : Future.succeededFuture(done.result()));
            flush();
            session.drain();
        });
    }

    private void acquired(BackendPool pool, BackendNode node, List<Step> steps, boolean read, boolean writes,
                          Future<ServerConnection> result) {
        if (session.closed()) {
            if (result.succeeded()) {
                pool.release(result.result());
            }
            return;
        }
        if (result.failed()) {
            node.errored();
            BackendNode next = read ? runtime.selector().forRead(scope, withFailed(node)) : null;
            if (next != null && next != node && !failed.contains(next)) {
                runtime.metrics().retried();
                acquire(next, steps, true, writes);
                return;
            }
            failed.clear();
            Throwable cause = result.cause();
            String state = cause instanceof BackendError e && e.sqlState() != null ? e.sqlState() : "08006";
            Log.warnf("backend=%s acquire failed: %s", node.name(), cause.getMessage());
            char status = deferredBegin != null ? 'E' : 'I';
            deferredFailed = deferredBegin != null;
            reply(BackendMessages.error("ERROR", state, cause.getMessage()), BackendMessages.readyForQuery(status));
            return;
        }
        // Backends that failed this statement stay excluded until it is answered (see fromServer).
        Buffer begin = deferredBegin;
        attach(pool, result.result(), read);
        // A deferred BEGIN went out ahead of them (attach): resent elsewhere, it goes first again, or
        // they would run outside the transaction the client was told it is in.
        retryable = !read ? null : begin == null ? steps : withBegin(begin, steps);
        refusal = null;
        send(steps);
        countRouted(node, !writes);
    }

    private static List<Step> withBegin(Buffer begin, List<Step> steps) {
        List<Step> all = new ArrayList<>(steps.size() + 1);
        all.add(new Step.Raw(begin, ResponseSequencer.Kind.HIDDEN_QUERY));
        all.addAll(steps);
        return all;
    }

    /** This client's pool on {@code node}: its database and role never change, so it is looked up once per node. */
    private BackendPool poolFor(BackendNode node) {
        BackendPool pool = ownPools.get(node);
        if (pool == null) {
            pool = pools.pool(node, database, user, backendCredentials);
            ownPools.put(node, pool);
        }
        return pool;
    }

    private Set<BackendNode> withFailed(BackendNode node) {
        failed.add(node);
        return failed;
    }

    private void attach(BackendPool pool, ServerConnection connection, boolean read) {
        server = connection;
        serverPool = pool;
        serverIsRead = read;
        serverSettingsUnknown = false;
        serverStatus = 'I';
        serverUnnamed = null;
        connection.owner(session);
        connection.node().outstanding().incrementAndGet();
        if (sessionMode) {
            pinned = true;
        }
        Object signature = settings.signature();
        if (!connection.carries(signature)) {
            String sync = settings.synchronise(connection.applied(), connection.assignments(), connection.defaults());
            connection.carrying(signature);
            if (sync != null) {
                toServer(Buffers.of(FrontendMessages.query(sync)));
                responses.expect(ResponseSequencer.Kind.HIDDEN_QUERY);
            }
        }
        if (deferredBegin != null) {
            toServer(deferredBegin);
            responses.expect(ResponseSequencer.Kind.HIDDEN_QUERY);
            deferredBegin = null;
        }
    }

    private void send(List<Step> steps) {
        ServerConnection connection = server;
        for (Step step : steps) {
            if (step instanceof Step.Raw raw) {
                toServer(raw.bytes());
                if (raw.expect() != null) {
                    responses.expect(raw.expect());
                }
                if (raw.expect() == ResponseSequencer.Kind.QUERY || raw.expect() == ResponseSequencer.Kind.HIDDEN_QUERY) {
                    serverUnnamed = null;
                }
                awaitingSync = raw.expect() != ResponseSequencer.Kind.SYNC && raw.expect() != ResponseSequencer.Kind.QUERY;
            } else if (step instanceof Step.DropsPrepared drops) {
                Set<String> existing = connection.prepared().names();
                if (droppedOnSuccess != null) {
                    existing.addAll(droppedOnSuccess);
                }
                droppedOnSuccess = existing;
                toServer(drops.bytes());
                responses.expect(drops.expect());
                serverUnnamed = drops.expect() == ResponseSequencer.Kind.QUERY ? null : serverUnnamed;
                awaitingSync = drops.expect() != ResponseSequencer.Kind.QUERY;
            } else if (step instanceof Step.Assigns assigns) {
                toServer(assigns.bytes());
                responses.expectAssigning(assigns.expect(), assigns.assignment());
                serverUnnamed = assigns.expect() == ResponseSequencer.Kind.QUERY ? null : serverUnnamed;
                awaitingSync = assigns.expect() != ResponseSequencer.Kind.QUERY;
            } else if (step instanceof Step.Prepare prepare) {
                ClientStatement statement = prepare.statement();
                if (statement.unnamed()) {
                    toServer(statement.parseMessage());
                    responses.expect(ResponseSequencer.Kind.PARSE, null, prepare.change());
                    serverUnnamed = statement;
                } else if (connection.prepared().use(statement.serverName())) {
                    responses.synthetic(Buffers.of(BackendMessages.parseComplete()), prepare.change());
                } else {
                    closeOnServer(connection.prepared().add(statement.serverName()));
                    toServer(statement.parseMessage());
                    responses.expect(ResponseSequencer.Kind.PARSE, statement.serverName(), prepare.change());
                }
                awaitingSync = true;
            } else if (step instanceof Step.PrepareOpenName open) {
                // Its first Parse (hidden, if the backend lacks the statement) fails as the client's
                // would; if that succeeds, the second finds the name taken.
                ensurePrepared(connection, open.statement());
                toServer(open.statement().parseMessage());
                responses.expect(ResponseSequencer.Kind.PARSE_OPEN_NAME, open.clientName());
                awaitingSync = true;
            } else if (step instanceof Step.Use use) {
                ClientStatement statement = use.statement();
                if (withdrawn.containsKey(statement)) {
                    // Its Parse failed or was skipped after this arrived: what PostgreSQL has under the
                    // name instead, or nothing, which the backend asked under the client's name finds
                    // too (26000, naming the client's statement).
                    statement = withdrawn.get(statement);
                }
                if (statement != null) {
                    ensurePrepared(connection, statement);
                    toServer(use.bytes());
                } else {
                    if (use.statement().unnamed()) {
                        // The server connection's leftover unnamed statement, closed (hidden) as in forgetServerUnnamed.
                        toServer(Buffers.of(FrontendMessages.closeStatement("")));
                        responses.expect(ResponseSequencer.Kind.HIDDEN_CLOSE);
                        serverUnnamed = null;
                    }
                    toServer(use.original());
                }
                responses.expect(use.expect());
                awaitingSync = true;
            } else if (step instanceof Step.Synthetic synthetic) {
                responses.synthetic(synthetic.message(), synthetic.change());
                awaitingSync = true;
            }
        }
        if (!withdrawn.isEmpty() && batch.isEmpty() && parked == null && !blocked) {
            // No message that arrived before the withdrawal is left to send.
            withdrawn.clear();
        }
        if (responses.syntheticDue()) {
            Buffer due = Buffer.buffer();
            responses.emitDue(due);
            if (retryable != null && !responses.idle()) {
                // Part of a read that may still run elsewhere, where this reply is made again: held with the rest.
                heldReply = heldReply == null ? due : heldReply.appendBuffer(due);
            } else {
                retryable = null;
                session.write(due);
            }
        }
    }

    /** A statement bound on a backend that has not seen its Parse gets one first, its reply hidden. */
    private void ensurePrepared(ServerConnection connection, ClientStatement statement) {
        if (statement.unnamed()) {
            if (serverUnnamed != statement) {
                toServer(statement.parseMessage());
                responses.expect(ResponseSequencer.Kind.HIDDEN_PARSE);
                serverUnnamed = statement;
            }
        } else if (!connection.prepared().use(statement.serverName())) {
            closeOnServer(connection.prepared().add(statement.serverName()));
            toServer(statement.parseMessage());
            responses.expect(ResponseSequencer.Kind.HIDDEN_PARSE, statement.serverName());
        }
    }

    /** A statement pushed out of the server connection's prepared set is closed there, its CloseComplete hidden. */
    private void closeOnServer(String evicted) {
        if (evicted != null) {
            toServer(Buffers.of(FrontendMessages.closeStatement(evicted)));
            responses.expect(ResponseSequencer.Kind.HIDDEN_CLOSE, evicted);
        }
    }

    private void countRouted(BackendNode node, boolean read) {
        boolean primary = node == runtime.selector().writer();
        node.routed(read);
        runtime.metrics().routed(primary, read);
    }

    /** Gathers bytes for the backend; a single message goes out as it is, without a copy. */
    private void toServer(Buffer bytes) {
        if (toServer == null) {
            toServer = bytes;
            toServerBorrowed = true;
            return;
        }
        if (toServerBorrowed) {
            toServer = Buffer.buffer(toServer.length() + bytes.length()).appendBuffer(toServer);
            toServerBorrowed = false;
        }
        toServer.appendBuffer(bytes);
    }

    /** Writes what was gathered for the backend, with backpressure from its socket. */
    void flush() {
        ServerConnection connection = server;
        if (toServer == null || connection == null) {
            return;
        }
        Buffer out = toServer;
        toServer = null;
        connection.write(out);
        if (connection.writeQueueFull()) {
            DirectReads.pause(session.socket());
            connection.socket().drainHandler(v -> DirectReads.resume(session.socket()));
        }
    }

    private void reply(ByteBuffer... messages) {
        Buffer out = Buffer.buffer();
        for (ByteBuffer message : messages) {
            out.appendBuffer(Buffers.of(message));
        }
        session.write(out);
    }

    // ---- backend → client

    void fromServer(ServerConnection connection, Buffer data) {
        if (connection != server) {
            return;
        }
        FrameReader reader = connection.reader();
        // Forwarded messages are gathered as runs of the received bytes; when a whole chunk is
        // forwarded unchanged (the usual case) it goes to the client as it came, without a copy.
        Buffer out = null;
        int runStart = -1;
        int runEnd = -1;
        try {
            reader.append(data);
            BackendMessage message;
            while (true) {
                if (reader.passing()) {
                    int passed = reader.pass();
                    if (passed > 0 && !reader.passingDropped()) {
                        if (reader.passStart() != runEnd) {
                            out = appendRun(out, reader.buffer(), runStart, runEnd);
                            runStart = reader.passStart();
                            runEnd = runStart;
                        }
                        runEnd += passed;
                    }
                    if (reader.passing()) {
                        break;
                    }
                    continue;
                }
                if (passesThrough(reader)) {
                    // Its verdict depends on its type and place only: forwarded as it arrives, never held.
                    ResponseSequencer.Verdict verdict = responses.accept(reader.peekType(), connection.prepared());
                    reader.beginPassing(1 + reader.peekLength(), verdict != ResponseSequencer.Verdict.FORWARD);
                    continue;
                }
                if ((message = reader.nextBackend()) == null) {
                    break;
                }
                byte type = message.type();
                SettingAssignment assigning = type == 'C' ? responses.assigning() : null;
                if (assigning != null) {
                    assignedPending.add(assigning);
                }
                ResponseSequencer.Verdict verdict = responses.accept(type, connection.prepared());
                if (type == 'E') {
                    undo(responses.takeUndone());
                    skippingToSync |= responses.takeSkipsToSync();
                }
                if (verdict == ResponseSequencer.Verdict.FORWARD && reader.frameStart() == runEnd) {
                    runEnd += reader.frameLength();
                } else {
                    out = appendRun(out, reader.buffer(), runStart, runEnd);
                    runStart = -1;
                    runEnd = -1;
                    if (verdict == ResponseSequencer.Verdict.FORWARD) {
                        runStart = reader.frameStart();
                        runEnd = runStart + reader.frameLength();
                    } else if (verdict == ResponseSequencer.Verdict.FORWARD_AS_NOTICE) {
                        out = orEmpty(out);
                        out.appendByte((byte) 'N').appendBuffer(reader.buffer(), reader.frameStart() + 1, reader.frameLength() - 1);
                    } else if (verdict == ResponseSequencer.Verdict.FORWARD_FOR_CLIENT_NAME) {
                        out = orEmpty(out);
                        out.appendBuffer(forClientName(message, reader.buffer().slice(reader.frameStart(), reader.frameStart() + reader.frameLength())));
                    }
                }
                observe(connection, message, verdict);
                if (responses.syntheticDue()) {
                    out = orEmpty(appendRun(out, reader.buffer(), runStart, runEnd));
                    runStart = -1;
                    runEnd = -1;
                    responses.emitDue(out);
                }
            }
        } catch (ProtocolException e) {
            Log.warnf("backend=%s sent an invalid message: %s", connection.node().name(), e.getMessage());
            out = orEmpty(appendRun(out, reader.buffer(), runStart, runEnd));
            detach(false);
            session.write(withHeld(out));
            session.fatal("08P01", "server connection broke the protocol: " + e.getMessage());
            return;
        }
        if (out == null && runStart == 0 && runEnd == data.length() && reader.buffer() == data) {
            out = data;
        } else {
            out = orEmpty(appendRun(out, reader.buffer(), runStart, runEnd));
        }
        if (refusal != null && responses.idle() && retryable != null && refusedReadRerouted()) {
            return;
        }
        if (retryable != null && !responses.idle() && (heldReply == null ? 0 : heldReply.length()) + out.length() <= MAX_HELD_REPLY_BYTES) {
            // Not complete yet: the client sees nothing until it is, so a failure can still resend it.
            if (heldReply == null) {
                heldReply = Buffer.buffer(out.length());
            }
            heldReply.appendBuffer(out);
            return;
        }
        out = withHeld(out);
        if (out.length() > 0) {
            // A reply has reached the client: the statement can no longer be retried elsewhere.
            retryable = null;
            refusal = null;
            failed.clear();
            session.write(out);
            if (session.writeQueueFull()) {
                DirectReads.pause(connection.socket());
                session.socket().drainHandler(v -> DirectReads.resume(connection.socket()));
            }
        }
        if (undoPending != null && retryable == null) {
            undoPending();
        }
        if (!failed.isEmpty() && responses.idle()) {
            failed.clear();
        }
        releaseIfIdle();
        if (parked != null && responses.idle()) {
            unpark();
        }
        if (idleTransactionMillis > 0) {
            watchIdleTransaction();
        }
    }

    private void undo(List<StatementChange.Undone> changes) {
        if (changes != null) {
            if (undoPending == null) {
                undoPending = new ArrayList<>(changes.size());
            }
            undoPending.addAll(changes);
        }
    }

    /**
     * Takes back what the refused or skipped messages did, last first: a failed Parse of the
     * unnamed statement leaves none (PostgreSQL drops the old one before parsing), a failed or
     * skipped named Parse leaves the name as it was, a skipped Close leaves the statement open.
     * A name the client has used again since is left alone.
     */
    private void undoPending() {
        List<StatementChange.Undone> changes = undoPending;
        undoPending = null;
        for (int i = changes.size() - 1; i >= 0; i--) {
            StatementChange change = changes.get(i).change();
            String name = change.name();
            ClientStatement restored = name.isEmpty() && changes.get(i).failed() ? null : change.before();
            if (change.after() != null) {
                withdrawn.put(change.after(), restored);
            }
            ClientStatement now = name.isEmpty() ? unnamed : statements.get(name);
            if (now != change.after()) {
                continue;
            }
            if (name.isEmpty()) {
                unnamed = restored;
            } else if (restored == null) {
                statements.remove(name);
            } else {
                statements.put(name, restored);
            }
        }
    }

    /** The read ahead of a parked unit is answered: the unit goes on (to the primary, unless a transaction began), then the client's next messages. */
    private void unpark() {
        Parked unit = parked;
        parked = null;
        DirectReads.resume(session.socket());
        dispatch(unit.steps(), Route.PRIMARY, unit.pins(), unit.writes());
        flush();
        session.drain();
    }

    private void stopIdleTransactionTimer() {
        if (idleTransactionTimer >= 0) {
            runtime.vertx().cancelTimer(idleTransactionTimer);
            idleTransactionTimer = -1;
        }
    }

    /** The reply is complete and a transaction stays open on the server connection: the client's turn, for so long. */
    private void watchIdleTransaction() {
        if (server == null || serverStatus == 'I' || !responses.idle() || awaitingSync || copying || idleTransactionTimer >= 0) {
            return;
        }
        idleTransactionTimer = runtime.vertx().setTimer(idleTransactionMillis, id -> {
            idleTransactionTimer = -1;
            if (server != null && serverStatus != 'I' && responses.idle()) {
                Log.infof("client idle in transaction for %d ms: ended (backend=%s)", idleTransactionMillis, server.node().name());
                session.fatal("25P03", "terminating connection due to idle-in-transaction timeout");
            }
        });
    }

    /** The backend's refusal of a name already taken, told with the client's name, not the router's. */
    private Buffer forClientName(BackendMessage error, Buffer raw) {
        if (!"42P05".equals(error.field('C'))) {
            return raw;
        }
        String text = "prepared statement \"" + responses.refusedName() + "\" already exists";
        return Buffers.of(BackendMessages.error(error.field('S'), "42P05", text));
    }

    /**
     * A row or COPY data message too large to hold comfortably is at the front: the router needs
     * nothing from inside either, so it streams them (a 100 MB bytea value passes, however small
     * max-message-bytes and max-held-bytes are), as PgBouncer does.
     */
    private static boolean passesThrough(FrameReader reader) {
        byte type = reader.peekType();
        return (type == 'D' || type == 'd') && reader.peekLength() > STREAMED_MESSAGE_BYTES;
    }

    private void releaseHeld() {
        retryable = null;
        Buffer held = withHeld(Buffer.buffer());
        if (held.length() > 0) {
            session.write(held);
        }
    }

    /** {@code out} after what was held back, and nothing held any more. */
    private Buffer withHeld(Buffer out) {
        Buffer held = heldReply;
        heldReply = null;
        return held == null ? out : held.appendBuffer(out);
    }

    /** {@code out} with {@code source[start, end)} appended; still null when out was and there is no run. */
    private static Buffer appendRun(Buffer out, Buffer source, int start, int end) {
        if (start < 0 || end <= start) {
            return out;
        }
        return orEmpty(out).appendBuffer(source, start, end - start);
    }

    private static Buffer orEmpty(Buffer out) {
        return out != null ? out : Buffer.buffer();
    }

    private void observe(ServerConnection connection, BackendMessage message, ResponseSequencer.Verdict verdict) {
        switch (message.type()) {
            case 'Z' -> {
                serverStatus = (char) message.body().get(0);
                if (!assignedPending.isEmpty()) {
                    settle(connection);
                }
                if (verdict == ResponseSequencer.Verdict.FORWARD) {
                    runtime.metrics().latency(!serverIsRead, System.nanoTime() - responses.lastReadyStartedNanos());
                }
                if (serverStatus == 'I' && wrote) {
                    runtime.selector().writes().committed(scope, System.nanoTime());
                    wrote = false;
                }
            }
            case 'S' -> {
                if (verdict == ResponseSequencer.Verdict.FORWARD) {
                    ByteBuffer body = message.body().duplicate();
                    String name = MessageDecoder.cString(body, "ParameterStatus");
                    String value = MessageDecoder.cString(body, "ParameterStatus");
                    String canonical = SessionSettings.canonical(name);
                    if (canonical != null) {
                        settings.reported(canonical, value);
                        connection.applied().put(canonical, value);
                        // Matches this client's new values, but those may be another client's too: compare next time.
                        connection.carrying(null);
                    }
                }
            }
            case 'G', 'H', 'W' -> copying = true;
            case 'C' -> {
                copying = false;
                if (!assignedPending.isEmpty() && BackendMessages.rolledBack(message.body())) {
                    uncertainAssignments();
                }
                if (droppedOnSuccess != null && BackendMessages.dropsPreparedStatements(message.body())) {
                    connection.prepared().removeAll(droppedOnSuccess);
                    droppedOnSuccess = null;
                    if (BackendMessages.discardedAll(message.body())) {
                        settingsDiscarded(connection);
                    }
                }
            }
            case 'E' -> {
                copying = false;
                if (verdict == ResponseSequencer.Verdict.FORWARD_AS_NOTICE) {
                    serverSettingsUnknown = true;
                    connection.carrying(null);
                }
                if (!assignedPending.isEmpty()) {
                    uncertainAssignments();
                }
                if (retryable != null && refusal == null && verdict == ResponseSequencer.Verdict.FORWARD) {
                    refusal = RefusedReads.of(message.field('C'), message.field('R'), message.field('F'));
                    refusalMessage = refusal == null ? null : message.field('M');
                }
            }
            default -> {
            }
        }
    }

    /**
     * A standby refused the read just answered (its whole reply held back): what it refused is
     * remembered, and when the refusal ended an implicit transaction on a connection with nothing
     * else on it, the read runs again on the primary, the client none the wiser. False: the
     * standby's error goes to the client (a read-only transaction, a pinned session, rerouting off).
     */
    private boolean refusedReadRerouted() {
        RefusedReads.Refusal why = refusal;
        refusal = null;
        if (!runtime.config().routing().rerouteRefusedReads()) {
            return false;
        }
        List<Step> again = retryable;
        String backend = server.node().name();
        learn(why, again, backend);
        boolean writes = why != RefusedReads.Refusal.SERIALIZABLE;
        if (!quiet() || pinned || session.closed() || why == RefusedReads.Refusal.WRITES && settings.readOnlyByDefault()) {
            // In a transaction block, or read-only by the client's own choice: the primary would refuse it too.
            return false;
        }
        heldReply = null;
        retryable = null;
        undoPending = null;
        failed.clear();
        detach(true);
        runtime.metrics().rerouted(why.key());
        wrote |= writes;
        toServer = null;
        acquire(runtime.selector().writer(), again, false, writes);
        flush();
        return true;
    }

    /**
     * Remembers the refused read: for a serializable refusal its role, otherwise its statement (the
     * simple query's text, or the one prepared statement the batch ran), here and router-wide.
     */
    private void learn(RefusedReads.Refusal why, List<Step> steps, String backend) {
        RefusedReads refused = runtime.classifier().refusedReads();
        if (why == RefusedReads.Refusal.SERIALIZABLE) {
            if (!refused.roleRefused(role)) {
                Log.warnf("backend=%s refused a read of %s (%s): its transactions are serializable, which a standby cannot run; "
                        + "its reads go to the primary for %d minutes", backend, role, refusalMessage,
                        java.util.concurrent.TimeUnit.NANOSECONDS.toMinutes(RefusedReads.ROLE_MEMORY_NANOS));
            }
            refused.refuseRole(role, System.nanoTime());
            return;
        }
        String sql = null;
        ClientStatement used = null;
        for (Step step : steps) {
            if (step instanceof Step.Raw raw && raw.expect() == ResponseSequencer.Kind.QUERY) {
                Buffer bytes = raw.bytes();
                sql = bytes.getString(5, bytes.length() - 1, "UTF-8");
            } else if (step instanceof Step.Use use) {
                if (used != null && used != use.statement()) {
                    // Several statements in one batch: which one the standby refused is not known; none is remembered.
                    return;
                }
                used = use.statement();
            }
        }
        if (used != null) {
            ClientStatement before = used;
            sql = before.query();
            ClientStatement rerouted = before.withInfo(before.info().refusedByStandby());
            if (unnamed == before) {
                unnamed = rerouted;
            }
            statements.replaceAll((name, statement) -> statement == before ? rerouted : statement);
        }
        String shape = sql == null ? null : RefusedReads.shape(sql);
        if (refused.learn(shape, why)) {
            Log.warnf("backend=%s refused a read (%s); it runs on the primary, and so will every statement shaped like it: %s "
                    + "(a function that writes belongs in meridian.router.routing.writing-functions)", backend, refusalMessage, shape);
        }
    }

    /**
     * The implicit transaction of carried SETs that succeeded has ended: outside a transaction they
     * have taken effect, and the client and this connection have them; inside one they last only if
     * it commits, which the router does not follow: the client stays on this connection.
     */
    private void settle(ServerConnection connection) {
        if (serverStatus == 'I') {
            for (SettingAssignment assignment : assignedPending) {
                settings.assigned(assignment);
                SessionSettings.carry(assignment, connection.applied(), connection.assignments());
            }
            connection.carrying(null);
        } else {
            pinned = true;
        }
        assignedPending.clear();
    }

    /** An error or a rollback after a carried SET succeeded: whether it lasts is not known here, so the client stays on this connection. */
    private void uncertainAssignments() {
        pinned = true;
        assignedPending.clear();
    }

    /**
     * DISCARD ALL ran (never inside a transaction, so it has taken effect): the connection is back
     * to its own startup settings, and so is the client as far as the router can tell (the changed
     * settings PostgreSQL reports come next, as ParameterStatus, and are recorded as usual; the
     * others, search_path and extra_float_digits, are dropped from the client's). As through
     * PgBouncer, the client's settings are then the server connection's, not its own startup values.
     */
    private void settingsDiscarded(ServerConnection connection) {
        connection.settingsReset();
        settings.discarded();
    }

    private void releaseIfIdle() {
        if (server != null && quiet() && !pinned && !blocked) {
            detach(true);
        }
    }

    /** No transaction open, nothing asked of a backend outstanding, nothing of the client's gathered or deferred. */
    boolean betweenTransactions() {
        return (server == null || quiet()) && deferredBegin == null && batch.isEmpty() && toServer == null && !blocked && parked == null;
    }

    /** Nothing asked of the server connection is outstanding and no transaction is open on it. */
    private boolean quiet() {
        return responses.idle() && !awaitingSync && serverStatus == 'I' && !copying;
    }

    private void detach(boolean reusable) {
        ServerConnection connection = server;
        server = null;
        retryable = null;
        refusal = null;
        droppedOnSuccess = null;
        connection.node().outstanding().decrementAndGet();
        responses.clear();
        assignedPending.clear();
        boolean settingsUnknown = serverSettingsUnknown;
        serverSettingsUnknown = false;
        if (reusable && !settingsUnknown) {
            serverPool.release(connection);
        } else {
            serverPool.discard(connection);
        }
    }

    /** After a fault of the router's own: the server connection, in a state not known, is closed rather than pooled. */
    void abandonServer() {
        toServer = null;
        heldReply = null;
        if (server != null) {
            detach(false);
        }
    }

    void serverClosed(ServerConnection connection) {
        if (connection != server) {
            return;
        }
        List<Step> again = retryable;
        boolean nothingInFlight = quiet();
        server = null;
        retryable = null;
        droppedOnSuccess = null;
        // What the lost backend said for this read never reached the client; the next backend answers it whole.
        heldReply = null;
        undoPending = null;
        connection.node().outstanding().decrementAndGet();
        connection.node().errored();
        responses.clear();
        assignedPending.clear();
        if (again != null && !session.closed()) {
            // A read whose backend went away before answering anything: run it elsewhere, once on
            // each backend at most (a statement that every backend dies of must not go round forever).
            failed.add(connection.node());
            BackendNode next = runtime.selector().forRead(scope, failed);
            if (!failed.contains(next)) {
                runtime.metrics().retried();
                toServer = null;
                acquire(next, again, true, false);
                flush();
                return;
            }
            failed.clear();
        }
        if (nothingInFlight && !pinned) {
            // Nothing was asked of it and no transaction or session state lived there: the client lost
            // nothing, and its next statement takes another connection.
            Log.infof("idle server connection lost backend=%s", connection.node().name());
            return;
        }
        Log.infof("server connection lost mid-statement backend=%s status=%c in_flight=%b pinned=%b", connection.node().name(),
                (char) serverStatus, !nothingInFlight, pinned);
        session.fatal("08006", "server connection to " + connection.node().name() + " was lost");
    }

    /**
     * The client left: its server connection goes back to the pool if clean, reset if pinned, else
     * closed; a statement still running there is cancelled first, since a backend busy with a query
     * notices its closed socket only when it has results to send, which may take as long as the query.
     */
    void clientGone() {
        stopIdleTransactionTimer();
        ServerConnection connection = server;
        if (connection == null) {
            return;
        }
        boolean clean = quiet();
        if (clean && !pinned) {
            detach(true);
        } else if (clean) {
            ServerReset.run(connection, serverPool);
            server = null;
            connection.node().outstanding().decrementAndGet();
        } else {
            if (!responses.idle()) {
                cancelRunningQuery();
            }
            detach(false);
        }
    }

    /** CancelRequest for this session: forwarded to the backend running its query, if any. */
    void cancelRunningQuery() {
        ServerConnection connection = server;
        if (connection == null) {
            return;
        }
        pools.connector().cancel(connection.node(), connection.processId(), connection.secretKey())
                .onFailure(e -> Log.infof("cancel request to backend=%s failed: %s", connection.node().name(), e.getMessage()));
    }

    private static void cString(Buffer out, String value) {
        out.appendString(value, "UTF-8").appendByte((byte) 0);
    }
}
