package dev.meridian.router.proxy;

import dev.meridian.router.pool.PreparedStatements;
import dev.meridian.router.routing.SettingAssignment;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the client's view of the backend's responses exact when the router changes what it sends:
 * a Parse the backend already has is answered here (a synthetic ParseComplete, at its place in the
 * sequence), a Parse the router slips in before a Bind has its ParseComplete hidden, so has the
 * CloseComplete of a statement the router closes to keep a connection's prepared set bounded, and settings
 * and a deferred BEGIN run as hidden queries whose replies the client never sees. One expectation
 * per message sent; backend replies are matched to them in order.
 */
final class ResponseSequencer {

    /** HIDDEN_SYNC: a Sync the router sends to end a batch's implicit transaction on a replica before the batch moves to the primary. */
    enum Kind { PARSE, PARSE_OPEN_NAME, HIDDEN_PARSE, HIDDEN_CLOSE, BIND, DESCRIBE_STATEMENT, DESCRIBE_PORTAL, EXECUTE, CLOSE, SYNC, HIDDEN_SYNC, QUERY,
        HIDDEN_QUERY, SYNTHETIC }

    /**
     * What to do with one backend message. FORWARD_FOR_CLIENT_NAME: an error to a Parse of a name
     * the client has open, which names the server-side statement; {@link #refusedName()} is the client's.
     */
    enum Verdict { FORWARD, DROP, FORWARD_AS_NOTICE, FORWARD_FOR_CLIENT_NAME }

    private record Expectation(Kind kind, String statement, Buffer synthetic, long startedNanos, SettingAssignment assignment,
                               StatementChange change) {
    }

    private final ArrayDeque<Expectation> queue = new ArrayDeque<>();
    /** Client statement changes of messages the backend refused or skipped since last taken; null: none. */
    private List<StatementChange.Undone> undone;
    private long lastReadyStartedNanos;
    private String refusedName;
    private boolean skipsToSync;

    void expect(Kind kind) {
        expect(kind, null);
    }

    /** {@code statement}: the server-side name a PARSE or HIDDEN_PARSE creates, or a HIDDEN_CLOSE closes. */
    void expect(Kind kind, String statement) {
        expect(kind, statement, null);
    }

    /** {@code change}: what the client's message did to its statements, undone if the backend refuses or skips it. */
    void expect(Kind kind, String statement, StatementChange change) {
        queue.add(new Expectation(kind, statement, null, System.nanoTime(), null, change));
    }

    /** The reply to a carried SET ({@code kind} QUERY or EXECUTE), told apart by {@link #assigning()}. */
    void expectAssigning(Kind kind, SettingAssignment assignment) {
        queue.add(new Expectation(kind, null, null, System.nanoTime(), assignment, null));
    }

    /** The SET whose reply is due next, or null: a CommandComplete now is that SET's. */
    SettingAssignment assigning() {
        Expectation head = queue.peek();
        return head == null ? null : head.assignment;
    }

    /** A reply the router gives itself, at this point of the sequence. */
    void synthetic(Buffer message) {
        synthetic(message, null);
    }

    /** A synthetic reply to a client message whose {@code change} is undone if an error before it makes the backend skip it. */
    void synthetic(Buffer message, StatementChange change) {
        queue.add(new Expectation(Kind.SYNTHETIC, null, message, 0, null, change));
    }

    /**
     * The client statement changes PostgreSQL would not have made, in the order the client sent
     * their messages, since the last call; null if none.
     */
    List<StatementChange.Undone> takeUndone() {
        List<StatementChange.Undone> taken = undone;
        undone = null;
        return taken;
    }

    /** The client's name for the statement whose Parse the last FORWARD_FOR_CLIENT_NAME error refused. */
    String refusedName() {
        return refusedName;
    }

    /**
     * Whether the last error left the backend skipping messages the router has not sent yet: none
     * of the client's Sync was outstanding (the batch was flushed, not synced), or a hidden Sync
     * ended the skipping there but not for the client. Then what the client sends up to its Sync
     * is to be dropped, as PostgreSQL drops it. Reported once.
     */
    boolean takeSkipsToSync() {
        boolean skips = skipsToSync;
        skipsToSync = false;
        return skips;
    }

    /** A synthetic reply is at the head of the queue. */
    boolean syntheticDue() {
        Expectation head = queue.peek();
        return head != null && head.kind == Kind.SYNTHETIC;
    }

    /** Appends the synthetic replies now due (those at the head of the queue). */
    void emitDue(Buffer out) {
        Expectation head;
        while ((head = queue.peek()) != null && head.kind == Kind.SYNTHETIC) {
            queue.poll();
            out.appendBuffer(head.synthetic);
        }
    }

    /**
     * Matches one backend message. {@code prepared}: the server connection's statement names, from
     * which a Parse that failed is removed, and to which a statement whose Close was skipped returns.
     */
    Verdict accept(byte type, PreparedStatements prepared) {
        Expectation head = queue.peek();
        boolean hidden = head != null && head.kind == Kind.HIDDEN_QUERY;
        if (type == 'N' || type == 'S' || type == 'A') {
            return hidden && type != 'A' ? Verdict.DROP : Verdict.FORWARD;
        }
        if (head == null) {
            return Verdict.FORWARD;
        }
        if (type == 'E') {
            if (hidden) {
                // A setting the client asked for at startup was refused: tell it, without breaking its sequence.
                return Verdict.FORWARD_AS_NOTICE;
            }
            if (head.kind == Kind.QUERY) {
                return Verdict.FORWARD;
            }
            Verdict verdict = Verdict.FORWARD;
            if (head.kind == Kind.PARSE_OPEN_NAME) {
                refusedName = head.statement;
                verdict = Verdict.FORWARD_FOR_CLIENT_NAME;
            }
            // Extended protocol: the backend skips everything up to Sync, a simple Query sent before that Sync too.
            boolean refused = true;
            while ((head = queue.peek()) != null && head.kind != Kind.SYNC && head.kind != Kind.HIDDEN_SYNC && head.kind != Kind.HIDDEN_QUERY) {
                queue.poll();
                if (head.change != null) {
                    if (undone == null) {
                        undone = new ArrayList<>(2);
                    }
                    undone.add(new StatementChange.Undone(head.change, refused));
                }
                refused = false;
                if (head.kind == Kind.HIDDEN_CLOSE) {
                    if (head.statement != null) {
                        prepared.stillThere(head.statement);
                    }
                } else if (head.statement != null && head.kind != Kind.PARSE_OPEN_NAME) {
                    prepared.remove(head.statement);
                }
            }
            skipsToSync = head == null || head.kind == Kind.HIDDEN_SYNC;
            return verdict;
        }
        if (type == 'Z') {
            queue.poll();
            lastReadyStartedNanos = head.startedNanos;
            return hidden || head.kind == Kind.HIDDEN_SYNC ? Verdict.DROP : Verdict.FORWARD;
        }
        switch (head.kind) {
            case PARSE -> popIf(type == '1');
            case HIDDEN_PARSE -> {
                if (type == '1') {
                    queue.poll();
                    return Verdict.DROP;
                }
            }
            case HIDDEN_CLOSE -> {
                if (type == '3') {
                    queue.poll();
                    return Verdict.DROP;
                }
            }
            case BIND -> popIf(type == '2');
            case CLOSE -> popIf(type == '3');
            case DESCRIBE_STATEMENT, DESCRIBE_PORTAL -> popIf(type == 'T' || type == 'n');
            case EXECUTE -> popIf(type == 'C' || type == 'I' || type == 's');
            case HIDDEN_QUERY -> {
                return Verdict.DROP;
            }
            default -> {
            }
        }
        return Verdict.FORWARD;
    }

    private void popIf(boolean completes) {
        if (completes) {
            queue.poll();
        }
    }

    /** No reply outstanding. */
    boolean idle() {
        return queue.isEmpty();
    }

    /** When the unit the last ReadyForQuery ended was sent. */
    long lastReadyStartedNanos() {
        return lastReadyStartedNanos;
    }

    void clear() {
        queue.clear();
        undone = null;
        skipsToSync = false;
    }
}
