package dev.meridian.router.proxy;

import dev.meridian.router.routing.SettingAssignment;
import dev.meridian.router.routing.StatementClassifier;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The session settings a client may give at startup and that a shared server connection must
 * carry while it serves that client. Before a borrowed connection runs a client's statements, the
 * difference is applied with one hidden {@code SET}/{@code RESET} query, and only when there is one.
 */
final class SessionSettings {

    /** Tracked settings; others in a startup packet are refused (as PgBouncer does), except those ignored. */
    static final List<String> TRACKED = StatementClassifier.STARTUP_SETTINGS;
    /** The tracked settings PostgreSQL reports with ParameterStatus when they change (the classifier's carried ones). */
    static final List<String> REPORTED = TRACKED.stream()
            .filter(name -> StatementClassifier.CARRIED_SETTINGS.contains(name.toLowerCase(Locale.ROOT))).toList();
    static final List<String> IGNORED = List.of("fallback_application_name", "replication");
    /** Startup parameters naming protocol options (none of which the router supports). */
    static final String PROTOCOL_OPTION_PREFIX = "_pq_.";

    /** What a server connection has for a tracked setting nobody set: its own default. */
    static final String DEFAULT = "\0default";
    /** What a server connection has for a tracked setting a client's carried SET gave it (see its carried SETs). */
    static final String ASSIGNED = "\0assigned";

    /**
     * One signature object per distinct set of tracked values, shared by every client with those
     * values: a connection set up for one such client serves the next without a comparison (an
     * application's clients mostly send the same startup settings). Bounded; past the bound a
     * signature is the client's own, which costs a comparison on other clients' connections, never
     * a wrong setting.
     */
    private static final ConcurrentMap<List<String>, List<String>> SIGNATURES = new ConcurrentHashMap<>();
    static final int MAX_SHARED_SIGNATURES = 1024;

    private final Map<String, String> explicit = new LinkedHashMap<>();
    /** Settings the client gave with a SET the router carries (by name, in name order): replayed as written. */
    private final Map<String, SettingAssignment> assigned = new TreeMap<>();
    private boolean serverReadOnly;
    /** Identifies the values of {@link #explicit}; null after a change, until asked for again. */
    private List<String> signature;

    /** Startup parameters other than user and database; throws on ones the router cannot honour. */
    static SessionSettings fromStartup(Map<String, String> parameters) {
        return fromStartup(parameters, Set.of());
    }

    /**
     * As {@link #fromStartup(Map)}, with the parameters an operator chose to ignore (lower case;
     * {@code options} among them lets settings in {@code options} the router cannot carry pass
     * unapplied, as PgBouncer's ignore_startup_parameters does).
     */
    static SessionSettings fromStartup(Map<String, String> parameters, Set<String> ignored) {
        SessionSettings settings = new SessionSettings();
        String options = parameters.get("options");
        if (options != null) {
            // First: PostgreSQL applies the startup packet's own settings after those in options.
            settings.takeOptions(options, ignored.contains("options"));
        }
        for (var entry : parameters.entrySet()) {
            String name = entry.getKey();
            if (name.equals("user") || name.equals("database") || name.equals("options") || name.startsWith(PROTOCOL_OPTION_PREFIX)) {
                // Protocol options are declined in NegotiateProtocolVersion, not refused.
                continue;
            }
            if (name.equals("replication")) {
                if (!entry.getValue().equalsIgnoreCase("false") && !entry.getValue().equals("0")) {
                    throw new UnsupportedSetting("replication connections are not supported through the router");
                }
                continue;
            }
            String canonical = canonical(name);
            if (canonical == null) {
                if (IGNORED.contains(name) || ignored.contains(name.toLowerCase(Locale.ROOT))) {
                    continue;
                }
                throw new UnsupportedSetting("unsupported startup parameter: " + name);
            }
            settings.explicit.put(canonical, normalise(canonical, entry.getValue()));
        }
        if (!settings.explicit.containsKey("application_name") && parameters.containsKey("fallback_application_name")) {
            settings.explicit.put("application_name", parameters.get("fallback_application_name"));
        }
        return settings;
    }

    private void takeOptions(String options, boolean ignoreUnsupported) {
        Map<String, String> given;
        try {
            given = StartupOptions.settings(options);
        } catch (IllegalArgumentException e) {
            if (ignoreUnsupported) {
                return;
            }
            throw new UnsupportedSetting("unsupported options startup parameter: " + e.getMessage());
        }
        for (var setting : given.entrySet()) {
            String canonical = canonical(setting.getKey());
            if (canonical != null) {
                explicit.put(canonical, normalise(canonical, setting.getValue()));
            } else if (!ignoreUnsupported) {
                throw new UnsupportedSetting("unsupported setting in the options startup parameter: " + setting.getKey()
                        + " (the router carries " + String.join(", ", TRACKED) + ")");
            }
        }
    }

    static String canonical(String name) {
        for (String tracked : TRACKED) {
            if (tracked.equalsIgnoreCase(name)) {
                return tracked;
            }
        }
        return null;
    }

    private static String normalise(String name, String value) {
        if (name.equals("client_encoding")) {
            String upper = value.toUpperCase(Locale.ROOT);
            return upper.equals("UTF-8") || upper.equals("UTF_8") ? "UTF8" : upper;
        }
        return value;
    }

    /** The client's own value, when it set one. */
    String explicit(String name) {
        return explicit.get(name);
    }

    /** The server's value at the client's login, for a client that gives none (a role or database default included). */
    void loggedIn(Map<String, String> serverParameters) {
        serverReadOnly = isOn(serverParameters.getOrDefault("default_transaction_read_only", "off"));
    }

    /**
     * The client's transactions are read-only unless they say otherwise: default_transaction_read_only
     * is on (pgjdbc's readOnlyMode=always, a startup parameter, a SET, or the role's own default).
     */
    boolean readOnlyByDefault() {
        String value = explicit.get("default_transaction_read_only");
        return value != null ? isOn(value) : serverReadOnly;
    }

    /** PostgreSQL's spelling of true for a boolean setting: on, true, yes, 1, or a prefix of true or yes. */
    static boolean isOn(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("on") || v.equals("1") || !v.isEmpty() && ("true".startsWith(v) || "yes".startsWith(v));
    }

    /** A ParameterStatus from the backend while serving this client: the client's value now. */
    void reported(String name, String value) {
        String canonical = canonical(name);
        if (canonical != null && !value.equals(explicit.put(canonical, value))) {
            signature = null;
        }
    }

    /** After DISCARD ALL: the settings PostgreSQL does not report go back to the server's (reported ones arrive as ParameterStatus). */
    void discarded() {
        boolean changed = explicit.keySet().removeIf(name -> !REPORTED.contains(name)) || !assigned.isEmpty();
        assigned.clear();
        if (changed) {
            signature = null;
        }
    }

    /**
     * A carried SET succeeded outside a transaction: the client's value from now on (over a startup
     * value of the same setting); a carried RESET: the client has none of its own any more.
     */
    void assigned(SettingAssignment assignment) {
        if (assignment.resets()) {
            if (assigned.remove(assignment.name()) != null) {
                signature = null;
            }
            return;
        }
        if (!assignment.equals(assigned.put(assignment.name(), assignment))) {
            signature = null;
        }
        String canonical = canonical(assignment.name());
        if (canonical != null && explicit.remove(canonical) != null) {
            signature = null;
        }
    }

    /**
     * Equal for clients whose tracked settings are equal (the same object, for the first
     * {@value #MAX_SHARED_SIGNATURES} distinct ones), different after this client's settings change.
     */
    Object signature() {
        List<String> current = signature;
        if (current == null) {
            String[] values = new String[TRACKED.size() + assigned.size()];
            for (int i = 0; i < TRACKED.size(); i++) {
                values[i] = explicit.get(TRACKED.get(i));
            }
            int i = TRACKED.size();
            for (SettingAssignment assignment : assigned.values()) {
                values[i++] = assignment.apply();
            }
            current = Arrays.asList(values);
            if (SIGNATURES.size() < MAX_SHARED_SIGNATURES) {
                List<String> shared = SIGNATURES.putIfAbsent(current, current);
                current = shared != null ? shared : current;
            }
            signature = current;
        }
        return current;
    }

    /**
     * The statement that gives a server connection this client's values, or null when it already
     * has them. {@code applied}: the connection's tracked settings, {@code carried}: the SETs it
     * carries; both updated in place.
     */
    String synchronise(Map<String, String> applied, Map<String, SettingAssignment> carried, Map<String, String> serverDefaults) {
        StringBuilder sql = null;
        // Another client's SETs go first: a RESET of a tracked setting is then set again below if this client has a value.
        for (var it = carried.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!assigned.containsKey(entry.getKey())) {
                sql = append(sql, entry.getValue().reset());
                it.remove();
                String canonical = canonical(entry.getKey());
                if (canonical != null) {
                    applied.put(canonical, serverDefaults.getOrDefault(canonical, DEFAULT));
                }
            }
        }
        for (String name : TRACKED) {
            if (assigned.containsKey(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            String wanted = explicit.get(name);
            String current = applied.getOrDefault(name, serverDefaults.getOrDefault(name, DEFAULT));
            if (wanted == null) {
                String fallback = serverDefaults.getOrDefault(name, DEFAULT);
                if (fallback.equals(current)) {
                    continue;
                }
                sql = append(sql, "RESET " + quoteIdentifier(name));
                applied.put(name, fallback);
            } else if (!wanted.equals(current)) {
                // set_config parses the value as a startup packet's value is parsed (lists such as search_path included).
                sql = append(sql, "SELECT pg_catalog.set_config(" + quoteLiteral(name) + ", " + quoteLiteral(wanted) + ", false)");
                applied.put(name, wanted);
            }
        }
        for (SettingAssignment assignment : assigned.values()) {
            if (!assignment.equals(carried.get(assignment.name()))) {
                sql = append(sql, assignment.apply());
                carry(assignment, applied, carried);
            }
        }
        return sql == null ? null : sql.toString();
    }

    /** A server connection ({@code applied}, {@code carried}: its settings) has {@code assignment} now. */
    static void carry(SettingAssignment assignment, Map<String, String> applied, Map<String, SettingAssignment> carried) {
        if (assignment.resets()) {
            // Only settings no client gives at startup are reset this way: none of them is tracked in applied.
            carried.remove(assignment.name());
            return;
        }
        carried.put(assignment.name(), assignment);
        String canonical = canonical(assignment.name());
        if (canonical != null) {
            applied.put(canonical, ASSIGNED);
        }
    }

    private static StringBuilder append(StringBuilder sql, String statement) {
        StringBuilder out = sql == null ? new StringBuilder() : sql.append("; ");
        return out.append(statement);
    }

    static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    static String quoteLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** A startup parameter the router cannot carry across pooled connections. */
    static final class UnsupportedSetting extends RuntimeException {
        UnsupportedSetting(String message) {
            super(message);
        }
    }
}
