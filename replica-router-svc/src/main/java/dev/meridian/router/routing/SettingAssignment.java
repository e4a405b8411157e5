package dev.meridian.router.routing;

/**
 * A plain {@code SET [SESSION] name {TO | =} value} of a setting PostgreSQL does not report: the
 * router replays it on each server connection the client borrows, and resets it on those serving
 * clients without it, instead of pinning the client to one backend. Or its undoing, {@code RESET
 * name} ({@link #reset(String, String)}): afterwards the client has no value of its own for it.
 *
 * @param name    the setting, lower case ({@code statement_timeout}, {@code app.tenant})
 * @param written the name as the client wrote it (quoted parts kept)
 * @param value   the value as the client wrote it (literals, lists, units kept); null for a reset
 */
public record SettingAssignment(String name, String written, String value) {

    /** {@code RESET name} or {@code SET name TO DEFAULT}: the setting back to the server connection's own default. */
    public static SettingAssignment reset(String name, String written) {
        return new SettingAssignment(name, written, null);
    }

    public boolean resets() {
        return value == null;
    }

    /** The statement that gives a server connection this value. */
    public String apply() {
        return resets() ? reset() : "SET " + written + " TO " + value;
    }

    /** The statement that takes it away again (back to the connection's own default). */
    public String reset() {
        return "RESET " + written;
    }
}
