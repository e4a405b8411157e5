package dev.meridian.router.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decides where a query may run, from its tokens. Read-only means: SELECT, TABLE, VALUES, SHOW or
 * EXPLAIN (without ANALYZE of a write), with no locking clause (FOR UPDATE/SHARE…), no SELECT INTO,
 * no data-modifying CTE and no call to a function known to write. Everything else goes to the
 * primary, as does anything the lexer could not close. Comment hints {@code meridian:primary} and
 * {@code meridian:replica} override.
 */
public final class StatementClassifier {

    /** Functions that write, lock or otherwise must run on the primary, by default. */
    public static final Set<String> DEFAULT_WRITING_FUNCTIONS = Set.of(
            "nextval", "setval", "currval", "lastval",
            "pg_advisory_lock", "pg_advisory_lock_shared", "pg_try_advisory_lock", "pg_try_advisory_lock_shared",
            "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared", "pg_try_advisory_xact_lock",
            "pg_try_advisory_xact_lock_shared", "pg_advisory_unlock", "pg_advisory_unlock_all",
            "pg_notify", "set_config", "txid_current", "pg_current_xact_id", "lo_create", "lo_import", "lo_unlink",
            "pg_terminate_backend", "pg_cancel_backend", "pg_switch_wal", "pg_create_restore_point");

    /**
     * What a client asks to learn whether its server takes writes (pgjdbc's targetServerType,
     * libpq's target_session_attrs, HA-aware pools): answered by the writer, as the router
     * presented itself at login (the writer's in_hot_standby and default_transaction_read_only).
     * Otherwise a replica's "on" / "true" makes such a client refuse the router as read-only.
     */
    private static final Set<String> SERVER_ROLE_SETTINGS = Set.of("transaction_read_only", "in_hot_standby");
    private static final Set<String> SERVER_ROLE_FUNCTIONS = Set.of("pg_is_in_recovery");

    private static final Set<String> SESSION_LOCKS = Set.of("pg_advisory_lock", "pg_advisory_lock_shared",
            "pg_try_advisory_lock", "pg_try_advisory_lock_shared");

    /**
     * Settings a pooler carries from one server connection to the next (PostgreSQL reports their
     * changes with ParameterStatus): a plain SET of one of these neither pins nor needs the primary.
     */
    public static final Set<String> CARRIED_SETTINGS = Set.of("application_name", "client_encoding", "datestyle", "timezone",
            "intervalstyle", "standard_conforming_strings", "default_transaction_read_only");

    /**
     * Settings whose SET keeps pinning: who the session is (a pooled connection must never carry
     * another client's role), and the current transaction's own modes (meaningless between transactions).
     */
    private static final Set<String> UNCARRIED_ASSIGNMENTS = Set.of("role", "session_authorization", "transaction_isolation",
            "transaction_read_only", "transaction_deferrable");

    /**
     * Settings a client may give at startup, as PostgreSQL spells them; the router tracks them on
     * its server connections. Their RESET pins: in PostgreSQL it goes back to the client's startup
     * value, which on a pooled server connection is the router's, not the client's.
     */
    public static final List<String> STARTUP_SETTINGS = List.of("application_name", "client_encoding", "DateStyle", "TimeZone",
            "IntervalStyle", "extra_float_digits", "search_path", "standard_conforming_strings", "default_transaction_read_only");
    private static final Set<String> STARTUP_SETTING_NAMES = STARTUP_SETTINGS.stream()
            .map(name -> name.toLowerCase(java.util.Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final Set<String> writingFunctions;
    private final RefusedReads refusedReads;

    public StatementClassifier(Set<String> writingFunctions, RefusedReads refusedReads) {
        this.writingFunctions = Set.copyOf(writingFunctions);
        this.refusedReads = refusedReads;
    }

    public StatementClassifier(Set<String> writingFunctions) {
        this(writingFunctions, new RefusedReads());
    }

    public StatementClassifier() {
        this(DEFAULT_WRITING_FUNCTIONS);
    }

    /** What standbys refused so far, shared with the relays that learn it. */
    public RefusedReads refusedReads() {
        return refusedReads;
    }

    public StatementInfo classify(String sql) {
        SqlLexer.Result lexed = SqlLexer.lex(sql);
        if (lexed.unterminated()) {
            return StatementInfo.primary("unterminated literal or comment");
        }
        List<Token> all = lexed.tokens();
        String hint = hint(all);
        List<List<Token>> statements = split(all);
        StatementInfo combined = null;
        for (List<Token> statement : statements) {
            StatementInfo one = classifyOne(statement);
            combined = combined == null ? one : combine(combined, one);
        }
        if (combined == null) {
            combined = StatementInfo.primary("empty query");
        }
        if (statements.size() == 1 && statements.get(0).get(0).kind() == Token.Kind.WORD) {
            combined = combined.withCommand(statements.get(0).get(0).text());
        }
        if ("primary".equals(hint)) {
            // Counted as a write: the hint is how a statement calling a writing function the classifier
            // does not know reaches the primary, and read-your-writes must then wait for it.
            return combined.withRoute(Route.PRIMARY, "hint meridian:primary");
        }
        if ("replica".equals(hint)) {
            return combined.withRoute(Route.REPLICA, "hint meridian:replica");
        }
        if (combined.route() == Route.REPLICA && !refusedReads.noStatements() && refusedReads.refused(RefusedReads.shape(all))) {
            // A standby refused this statement before (it calls a function that writes): a write, as a hinted one.
            return combined.refusedByStandby();
        }
        return combined;
    }

    private static String hint(List<Token> tokens) {
        for (Token token : tokens) {
            if (token.kind() == Token.Kind.COMMENT) {
                String text = token.text().strip().toLowerCase(java.util.Locale.ROOT);
                if (text.equals("meridian:primary")) {
                    return "primary";
                }
                if (text.equals("meridian:replica")) {
                    return "replica";
                }
            }
        }
        return null;
    }

    /** Top-level statements, without comments. */
    private static List<List<Token>> split(List<Token> tokens) {
        List<List<Token>> statements = new ArrayList<>(1);
        List<Token> current = null;
        for (Token token : tokens) {
            if (token.kind() == Token.Kind.COMMENT) {
                continue;
            }
            if (token.kind() == Token.Kind.SEMICOLON && token.depth() == 0) {
                current = null;
            } else {
                if (current == null) {
                    current = new ArrayList<>(tokens.size());
                    statements.add(current);
                }
                current.add(token);
            }
        }
        return statements;
    }

    private StatementInfo combine(StatementInfo a, StatementInfo b) {
        Route route = a.route() == Route.PRIMARY || b.route() == Route.PRIMARY ? Route.PRIMARY
                : a.route() == Route.PRIMARY_READ || b.route() == Route.PRIMARY_READ ? Route.PRIMARY_READ : Route.REPLICA;
        TransactionEffect effect;
        if (a.transaction().begins()) {
            effect = b.transaction() == TransactionEffect.END ? TransactionEffect.NONE : a.transaction();
        } else {
            effect = b.transaction() == TransactionEffect.NONE ? a.transaction() : b.transaction();
        }
        // Several statements in one message run as one implicit transaction: keep them together. A SET
        // among them is not followed (its success is not told apart from the others'): it pins.
        boolean pins = a.pinsSession() || b.pinsSession() || a.assignment() != null || b.assignment() != null;
        return new StatementInfo(route, effect, pins, route == Route.PRIMARY ? "multi-statement with a write" : "multi-statement read",
                null, a.dropsPreparedStatements() || b.dropsPreparedStatements(), null);
    }

    private StatementInfo classifyOne(List<Token> tokens) {
        Token first = tokens.get(0);
        if (first.kind() == Token.Kind.OPEN_PAREN) {
            // (SELECT …) UNION (SELECT …): judge by the first word inside.
            List<Token> inner = tokens.stream().filter(t -> t.kind() != Token.Kind.OPEN_PAREN).toList();
            return inner.isEmpty() ? StatementInfo.primary("empty") : classifyOne(inner);
        }
        if (first.kind() != Token.Kind.WORD) {
            return StatementInfo.primary("not a statement keyword");
        }
        String verb = first.text();
        String sessionLock = sessionLockCall(tokens);
        if (sessionLock != null) {
            return new StatementInfo(Route.PRIMARY, TransactionEffect.NONE, true, "session advisory lock " + sessionLock);
        }
        // set_config(name, value, false) is a SET (its session-wide form; the router cannot read the flag's value).
        if (call(tokens, Set.of("set_config")) != null) {
            return new StatementInfo(Route.PRIMARY, TransactionEffect.NONE, true, "set_config");
        }
        String writer = writingCall(tokens);
        String roleQuestion = call(tokens, SERVER_ROLE_FUNCTIONS);
        switch (verb) {
            case "select", "table", "values" -> {
                if (roleQuestion != null) {
                    return new StatementInfo(Route.PRIMARY_READ, TransactionEffect.NONE, false, "asks the server's role: " + roleQuestion);
                }
                if (writer != null) {
                    return StatementInfo.primary("calls " + writer);
                }
                if (hasLockingClause(tokens)) {
                    return StatementInfo.primary("locking clause");
                }
                if (verb.equals("select") && hasTopLevel(tokens, "into")) {
                    return StatementInfo.primary("SELECT INTO creates a table");
                }
                return StatementInfo.replica(verb);
            }
            case "with" -> {
                if (tokens.stream().anyMatch(StatementClassifier::isWritingVerb)) {
                    return StatementInfo.primary("data-modifying CTE");
                }
                if (writer != null) {
                    return StatementInfo.primary("calls " + writer);
                }
                if (hasLockingClause(tokens)) {
                    return StatementInfo.primary("locking clause");
                }
                return StatementInfo.replica("with");
            }
            case "show" -> {
                if (tokens.size() > 1 && SERVER_ROLE_SETTINGS.contains(settingName(tokens))) {
                    return new StatementInfo(Route.PRIMARY_READ, TransactionEffect.NONE, false, "asks the server's role");
                }
                return StatementInfo.replica("show");
            }
            case "explain" -> {
                if (!hasTopLevel(tokens, "analyze") && !hasTopLevel(tokens, "analyse")) {
                    return StatementInfo.replica("explain");
                }
                // EXPLAIN ANALYZE runs the statement: route it as the statement.
                for (int i = 1; i < tokens.size(); i++) {
                    Token t = tokens.get(i);
                    if (t.depth() == 0 && t.kind() == Token.Kind.WORD
                            && Set.of("select", "with", "table", "values", "insert", "update", "delete", "merge").contains(t.text())) {
                        return classifyOne(tokens.subList(i, tokens.size()));
                    }
                }
                return StatementInfo.primary("explain analyze");
            }
            case "begin", "start" -> {
                boolean readOnly = replicaCanRunReadOnly(tokens);
                TransactionEffect effect = readOnly ? TransactionEffect.BEGIN_READ_ONLY
                        : withoutModes(tokens) ? TransactionEffect.BEGIN_DEFAULT : TransactionEffect.BEGIN;
                return new StatementInfo(readOnly ? Route.REPLICA : Route.PRIMARY, effect, false, "transaction start");
            }
            case "commit", "end" -> {
                // COMMIT AND CHAIN starts the next transaction at once: the transaction goes on.
                return new StatementInfo(Route.PRIMARY, chains(tokens) ? TransactionEffect.NONE : TransactionEffect.END, false,
                        "transaction end");
            }
            case "rollback", "abort" -> {
                boolean toSavepoint = tokens.size() > 1 && tokens.stream().skip(1).anyMatch(t -> t.isWord("to"));
                return new StatementInfo(Route.PRIMARY, toSavepoint || chains(tokens) ? TransactionEffect.NONE : TransactionEffect.END, false,
                        toSavepoint ? "rollback to savepoint" : "transaction end");
            }
            case "set" -> {
                if (sessionReadOnlyOrWrite(tokens)) {
                    // SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY / READ WRITE (pgjdbc's readOnlyMode=always)
                    // is default_transaction_read_only, which PostgreSQL reports: carried, not pinned.
                    return StatementInfo.replica("carried setting");
                }
                SettingAssignment isolation = sessionIsolation(tokens);
                if (isolation != null) {
                    // pgjdbc's setTransactionIsolation (Spring sets it before a transaction and back after).
                    return StatementInfo.carried(isolation);
                }
                if (tokens.size() > 1 && (tokens.get(1).isWord("transaction")
                        || tokens.get(1).isWord("session") && tokens.size() > 2 && tokens.get(2).isWord("characteristics"))) {
                    return new StatementInfo(Route.PRIMARY, replicaCanRunReadOnly(tokens) ? TransactionEffect.SET_READ_ONLY : TransactionEffect.NONE,
                            tokens.get(1).isWord("session"), "set transaction");
                }
                boolean local = tokens.size() > 1 && tokens.get(1).isWord("local");
                // SET x TO DEFAULT is a RESET x (see "reset"), as is SET TIME ZONE LOCAL.
                Token last = tokens.get(tokens.size() - 1);
                boolean toDefault = tokens.size() > 2 && (last.isWord("default") || last.isWord("local") && tokens.get(1).isWord("time"));
                if (!local && !toDefault && CARRIED_SETTINGS.contains(settingName(tokens))) {
                    return StatementInfo.replica("carried setting");
                }
                SettingAssignment assignment = local ? null : toDefault ? resetting(tokens) : assignment(tokens);
                if (assignment != null) {
                    return StatementInfo.carried(assignment);
                }
                return new StatementInfo(Route.PRIMARY, TransactionEffect.NONE, !local, local ? "set local" : "session setting");
            }
            case "listen" -> {
                return new StatementInfo(Route.PRIMARY, TransactionEffect.NONE, true, "listen");
            }
            case "prepare" -> {
                // A prepared statement of SQL's own (PREPARE … / EXECUTE …) lives in its backend's session.
                return new StatementInfo(Route.PRIMARY, TransactionEffect.NONE, true, "prepare");
            }
            case "deallocate", "discard" -> {
                // DEALLOCATE [PREPARE] ALL, DISCARD ALL: the router's own prepared statements on that backend go too.
                boolean all = tokens.size() > 1 && (tokens.get(1).isWord("all")
                        || tokens.size() > 2 && tokens.get(1).isWord("prepare") && tokens.get(2).isWord("all"));
                // DISCARD ALL also resets every setting; it cannot run inside a transaction, so the relay
                // knows when it took effect and follows it without pinning (unlike RESET, see "reset").
                // Not writes: read-your-writes has nothing to wait for after them.
                return new StatementInfo(Route.PRIMARY_READ, TransactionEffect.NONE, false, verb, null, all, null);
            }
            case "reset" -> {
                // RESET x of a setting a client cannot give at startup is its carried SET undone. Any
                // other (RESET ALL, RESET search_path, …) returns settings to the server connection's
                // own defaults, which the router does not know it has (it believes it carries what it
                // set up for its clients): the client keeps that connection to itself until it leaves,
                // and it is reset with DISCARD ALL then.
                SettingAssignment reset = resetting(tokens);
                return reset != null ? StatementInfo.carried(reset) : new StatementInfo(Route.PRIMARY, TransactionEffect.NONE, true, "reset");
            }
            case "create", "declare" -> {
                // CREATE TEMP …, or an object made in the session's own temporary schema by name (pg_temp.x).
                boolean temporary = tokens.stream().limit(4).anyMatch(t -> t.isWord("temp") || t.isWord("temporary"))
                        || tokens.stream().limit(8).anyMatch(t -> t.isWord("pg_temp"));
                boolean holdCursor = verb.equals("declare") && tokens.stream().anyMatch(t -> t.isWord("hold"));
                return new StatementInfo(Route.PRIMARY, TransactionEffect.NONE, temporary || holdCursor,
                        temporary ? "temporary object" : verb);
            }
            default -> {
                return StatementInfo.primary(verb);
            }
        }
    }

    /** The setting a SET names ({@code SET [SESSION] name …}, {@code SET TIME ZONE …}), lower-cased. */
    private static String settingName(List<Token> tokens) {
        int at = tokens.size() > 1 && tokens.get(1).isWord("session") ? 2 : 1;
        if (at >= tokens.size()) {
            return "";
        }
        Token name = tokens.get(at);
        if (name.isWord("time") && at + 1 < tokens.size() && tokens.get(at + 1).isWord("zone")) {
            return "timezone";
        }
        if (at + 1 < tokens.size() && isDot(tokens.get(at + 1))) {
            return "";
        }
        return name.kind() == Token.Kind.WORD || name.kind() == Token.Kind.QUOTED_IDENTIFIER ? name.text().toLowerCase(java.util.Locale.ROOT) : "";
    }

    /**
     * {@code SET [SESSION] name {TO | =} value [, …]} with a plain value (words, literals, numbers,
     * a list of them), for a setting the router may replay elsewhere; null for anything else (SET
     * ROLE, SET SESSION AUTHORIZATION, SET SCHEMA, SET NAMES, SET CONSTRAINTS, …), which pins.
     */
    private static SettingAssignment assignment(List<Token> tokens) {
        int first = tokens.size() > 1 && tokens.get(1).isWord("session") ? 2 : 1;
        SettingName setting = SettingName.at(tokens, first);
        if (setting == null) {
            return null;
        }
        String name = setting.name();
        int last = setting.last();
        int at = last + 1;
        if (at + 1 >= tokens.size() || !(tokens.get(at).isWord("to") || isOperator(tokens.get(at), "="))) {
            return null;
        }
        if (UNCARRIED_ASSIGNMENTS.contains(name)) {
            return null;
        }
        for (int i = at + 1; i < tokens.size(); i++) {
            Token value = tokens.get(i);
            boolean plain = switch (value.kind()) {
                case WORD, QUOTED_IDENTIFIER, STRING, NUMBER, COMMA -> true;
                case OPERATOR -> value.text().equals("-") || value.text().equals("+");
                default -> false;
            };
            if (!plain) {
                return null;
            }
        }
        String value = Token.written(tokens.get(at + 1), tokens.get(tokens.size() - 1));
        if (name.equals("default_transaction_isolation") && value.toLowerCase(java.util.Locale.ROOT).contains("serializable")) {
            // A hot standby refuses every statement of a session whose transactions are serializable: it stays on the primary.
            return null;
        }
        return new SettingAssignment(name, Token.written(tokens.get(first), tokens.get(last)), value);
    }

    /**
     * {@code RESET name} or {@code SET [SESSION] name {TO | =} DEFAULT} of a setting whose SET the
     * router carries and a client cannot give at startup; null for anything else.
     */
    private static SettingAssignment resetting(List<Token> tokens) {
        boolean set = tokens.get(0).isWord("set");
        int first = set && tokens.size() > 1 && tokens.get(1).isWord("session") ? 2 : 1;
        SettingName setting = SettingName.at(tokens, first);
        if (setting == null || setting.name().equals("all") || UNCARRIED_ASSIGNMENTS.contains(setting.name())
                || STARTUP_SETTING_NAMES.contains(setting.name())) {
            return null;
        }
        int last = setting.last();
        boolean whole = set
                ? tokens.size() == last + 3 && (tokens.get(last + 1).isWord("to") || isOperator(tokens.get(last + 1), "="))
                        && tokens.get(last + 2).isWord("default")
                : tokens.size() == last + 1;
        return whole ? SettingAssignment.reset(setting.name(), Token.written(tokens.get(first), tokens.get(last))) : null;
    }

    /**
     * A setting's name in a SET or RESET ({@code name}, {@code "Name"}, {@code app.part}), lower case,
     * and the index of its last token.
     */
    private record SettingName(String name, int last) {

        static SettingName at(List<Token> tokens, int at) {
            if (at >= tokens.size() || !isNamePart(tokens.get(at))) {
                return null;
            }
            StringBuilder name = new StringBuilder(tokens.get(at).text().toLowerCase(java.util.Locale.ROOT));
            at++;
            while (at + 1 < tokens.size() && isDot(tokens.get(at)) && isNamePart(tokens.get(at + 1))) {
                name.append('.').append(tokens.get(at + 1).text().toLowerCase(java.util.Locale.ROOT));
                at += 2;
            }
            return new SettingName(name.toString(), at - 1);
        }
    }

    private static boolean isNamePart(Token token) {
        return token.kind() == Token.Kind.WORD || token.kind() == Token.Kind.QUOTED_IDENTIFIER;
    }

    private static boolean isDot(Token token) {
        return isOperator(token, ".");
    }

    private static boolean isOperator(Token token, String operator) {
        return token.kind() == Token.Kind.OPERATOR && token.text().equals(operator);
    }

    /**
     * SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL {READ COMMITTED | READ UNCOMMITTED |
     * REPEATABLE READ}, and nothing else: default_transaction_isolation, carried as its SET.
     * SERIALIZABLE is not (a hot standby refuses every statement of such a session).
     */
    private static SettingAssignment sessionIsolation(List<Token> tokens) {
        if (tokens.size() != 9 || !tokens.get(1).isWord("session") || !tokens.get(2).isWord("characteristics")
                || !tokens.get(3).isWord("as") || !tokens.get(4).isWord("transaction") || !tokens.get(5).isWord("isolation")
                || !tokens.get(6).isWord("level")) {
            return null;
        }
        String level = tokens.get(7).text() + " " + tokens.get(8).text();
        if (!Set.of("read committed", "read uncommitted", "repeatable read").contains(level)) {
            return null;
        }
        return new SettingAssignment("default_transaction_isolation", "default_transaction_isolation", "'" + level + "'");
    }

    /** SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY or READ WRITE, and nothing else. */
    private static boolean sessionReadOnlyOrWrite(List<Token> tokens) {
        return tokens.size() == 7 && tokens.get(1).isWord("session") && tokens.get(2).isWord("characteristics")
                && tokens.get(3).isWord("as") && tokens.get(4).isWord("transaction") && tokens.get(5).isWord("read")
                && (tokens.get(6).isWord("only") || tokens.get(6).isWord("write"));
    }

    /** … AND CHAIN (not AND NO CHAIN). */
    private static boolean chains(List<Token> tokens) {
        return followedBy(tokens, "and", "chain");
    }

    /**
     * READ ONLY, and not SERIALIZABLE: a hot standby refuses serializable transactions ("cannot use
     * serializable mode in a hot standby"), so those stay on the primary, where they work.
     */
    private static boolean replicaCanRunReadOnly(List<Token> tokens) {
        return followedBy(tokens, "read", "only") && !followedBy(tokens, "level", "serializable");
    }

    private static boolean followedBy(List<Token> tokens, String word, String next) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).isWord(word) && tokens.get(i + 1).isWord(next)) {
                return true;
            }
        }
        return false;
    }

    /** BEGIN, BEGIN WORK, BEGIN TRANSACTION, START TRANSACTION: nothing that sets an access mode, isolation or deferrability. */
    private static boolean withoutModes(List<Token> tokens) {
        return tokens.size() == 1 || tokens.size() == 2 && (tokens.get(1).isWord("work") || tokens.get(1).isWord("transaction"));
    }

    private static boolean isWritingVerb(Token token) {
        return token.isWord("insert") || token.isWord("update") || token.isWord("delete") || token.isWord("merge");
    }

    private static boolean hasTopLevel(List<Token> tokens, String word) {
        for (Token token : tokens) {
            if (token.depth() == 0 && token.isWord(word)) {
                return true;
            }
        }
        return false;
    }

    /** FOR UPDATE, FOR NO KEY UPDATE, FOR SHARE, FOR KEY SHARE, at any depth. */
    private static boolean hasLockingClause(List<Token> tokens) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).isWord("for")) {
                Token next = tokens.get(i + 1);
                if (next.isWord("update") || next.isWord("share") || next.isWord("no") || next.isWord("key")) {
                    return true;
                }
            }
        }
        return false;
    }

    private String writingCall(List<Token> tokens) {
        return call(tokens, writingFunctions);
    }

    private static String sessionLockCall(List<Token> tokens) {
        return call(tokens, SESSION_LOCKS);
    }

    /** A name from {@code functions} followed by '(' (schema-qualified or not). */
    private static String call(List<Token> tokens, Set<String> functions) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token token = tokens.get(i);
            boolean name = token.kind() == Token.Kind.WORD || token.kind() == Token.Kind.QUOTED_IDENTIFIER;
            // The parenthesis first: only a call's name needs its text.
            if (name && tokens.get(i + 1).kind() == Token.Kind.OPEN_PAREN && functions.contains(token.text())) {
                return token.text();
            }
        }
        return null;
    }
}
