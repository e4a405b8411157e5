package dev.meridian.router.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads a standby refused, and what the router learned from them. The classifier cannot know
 * every function that writes ({@code SELECT create_order(…)} of the application's own), and a
 * role's {@code default_transaction_isolation = serializable} is set where the router cannot see
 * it; a standby says so when it gets one. Such a read, not yet answered with any byte, runs again
 * on the primary, and from then on its statement goes there at once (or the role's reads, for a
 * while). Router-wide: one instance serves every event loop.
 */
public final class RefusedReads {

    /** Why a standby refused a read that the primary will run. */
    public enum Refusal {
        /** 25006: it writes (an INSERT in a function, nextval, pg_current_xact_id…). */
        WRITES("writes"),
        /** 55000 from the WAL control functions: they run only on the primary. */
        PRIMARY_ONLY("primary-only"),
        /** 0A000 from the serializable snapshot: the role's or database's transactions are serializable. */
        SERIALIZABLE("serializable");

        private final String key;

        Refusal(String key) {
            this.key = key;
        }

        /** The metric tag and log word. */
        public String key() {
            return key;
        }
    }

    /** Distinct statements remembered; past it, refused reads still run on the primary but are not remembered. */
    public static final int MAX_STATEMENTS = 1000;
    /** How long a role's reads stay on the primary after a standby refused its serializable snapshot (re-learned after). */
    public static final long ROLE_MEMORY_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final Map<String, String> statements = new ConcurrentHashMap<>();
    private final Map<String, Long> roles = new ConcurrentHashMap<>();

    /**
     * What a standby's ErrorResponse means for a read, from fields that do not depend on the
     * server's language: the SQLSTATE, and for the two codes that also have other causes the
     * function ({@code R}) or source file ({@code F}) that raised it. Null: an error the primary
     * would give as well.
     */
    public static Refusal of(String sqlState, String routine, String file) {
        if ("25006".equals(sqlState)) {
            return Refusal.WRITES;
        }
        if ("0A000".equals(sqlState) && "GetSerializableTransactionSnapshot".equals(routine)) {
            return Refusal.SERIALIZABLE;
        }
        if ("55000".equals(sqlState) && "xlogfuncs.c".equals(file)) {
            return Refusal.PRIMARY_ONLY;
        }
        return null;
    }

    /**
     * The statement's text as the router compares it: tokens without comments, keywords folded,
     * string and number literals as {@code ?}, so one remembered {@code SELECT add_row('a')} also
     * covers {@code select add_row('b')}.
     */
    public static String shape(String sql) {
        SqlLexer.Result lexed = SqlLexer.lex(sql);
        return lexed.unterminated() ? null : shape(lexed.tokens());
    }

    static String shape(List<Token> tokens) {
        StringBuilder shape = new StringBuilder();
        for (Token token : tokens) {
            String part = switch (token.kind()) {
                case COMMENT -> null;
                case STRING, NUMBER -> "?";
                case QUOTED_IDENTIFIER -> '"' + token.text().replace("\"", "\"\"") + '"';
                default -> token.text();
            };
            if (part != null) {
                if (!shape.isEmpty()) {
                    shape.append(' ');
                }
                shape.append(part);
            }
        }
        return shape.toString();
    }

    /** Remembers a statement whose shape a standby refused; true when it is new (and there was room). */
    public boolean learn(String shape, Refusal refusal) {
        if (shape == null || statements.size() >= MAX_STATEMENTS) {
            return false;
        }
        return statements.putIfAbsent(shape, refusal.key()) == null;
    }

    /** True when no statement has been learned: the classifier then skips the lookup. */
    boolean noStatements() {
        return statements.isEmpty();
    }

    boolean refused(String shape) {
        return statements.containsKey(shape);
    }

    /** Remembers that standbys refuse every read of {@code role} (database/user). */
    public void refuseRole(String role, long nowNanos) {
        roles.put(role, nowNanos);
    }

    /** Whether {@code role}'s reads go to the primary: a standby refused its serializable snapshot within {@link #ROLE_MEMORY_NANOS}. */
    public boolean roleRefused(String role) {
        return !roles.isEmpty() && roleRefused(role, System.nanoTime());
    }

    boolean roleRefused(String role, long nowNanos) {
        Long since = roles.get(role);
        if (since == null) {
            return false;
        }
        if (nowNanos - since > ROLE_MEMORY_NANOS) {
            // Tried on a replica again: the role's default may have changed.
            roles.remove(role, since);
            return false;
        }
        return true;
    }

    /** The remembered statement shapes with why, for the status page (sorted, at most {@code limit}). */
    public List<String> statements(int limit) {
        List<String> all = new ArrayList<>(statements.size());
        statements.forEach((shape, why) -> all.add(why + ": " + shape));
        all.sort(null);
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    public int statementCount() {
        return statements.size();
    }

    /** The roles whose reads are on the primary now. */
    public List<String> roles(long nowNanos) {
        List<String> held = new ArrayList<>();
        roles.forEach((role, since) -> {
            if (nowNanos - since <= ROLE_MEMORY_NANOS) {
                held.add(role);
            }
        });
        held.sort(null);
        return held;
    }
}
