package dev.meridian.router.routing;

/**
 * A plain {@code SET [SESSION] name {TO | =} value} of a setting PostgreSQL does not report: the
 * router replays it on each server connection the client borrows, and resets it on those serving
 * clients without it, instead of pinning the client to one backend.
 *
 * @param name    the setting, lower case ({@code statement_timeout}, {@code app.tenant})
 * @param written the name as the client wrote it (quoted parts kept)
 * @param value   the value as the client wrote it (literals, lists, units kept)
 */
public record SettingAssignment(String name, String written, String value) {

    /** The statement that gives a server connection this value. */
    public String apply() {
        return "SET " + written + " TO " + value;
    }

    /** The statement that takes it away again (back to the connection's own default). */
    public String reset() {
        return "RESET " + written;
    }
}
