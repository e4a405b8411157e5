package dev.meridian.router.routing;

/**
 * What the classifier concluded about one query string.
 *
 * @param route       where it may run
 * @param transaction what it does to the transaction state
 * @param pinsSession it leaves state on its connection (SET, LISTEN, temporary tables, session
 *                    advisory locks), so the client must stay on that backend
 * @param reason      a short why, for logs and metrics
 * @param command     the leading keyword when the query holds exactly one statement (e.g. {@code begin}),
 *                    null for several
 * @param dropsPreparedStatements {@code DEALLOCATE ALL} or {@code DISCARD ALL}: when it succeeds, the
 *                    backend it ran on has none of the prepared statements it had before
 * @param assignment  a SET the router carries to other server connections instead of pinning, or null
 */
public record StatementInfo(Route route, TransactionEffect transaction, boolean pinsSession, String reason, String command,
                            boolean dropsPreparedStatements, SettingAssignment assignment) {

    public StatementInfo(Route route, TransactionEffect transaction, boolean pinsSession, String reason) {
        this(route, transaction, pinsSession, reason, null, false, null);
    }

    StatementInfo withCommand(String command) {
        return new StatementInfo(route, transaction, pinsSession, reason, command, dropsPreparedStatements, assignment);
    }

    StatementInfo withRoute(Route route, String reason) {
        return new StatementInfo(route, transaction, pinsSession, reason, command, dropsPreparedStatements, assignment);
    }

    /** The same statement after a standby refused it: it runs on the primary from now on, counted as a write. */
    public StatementInfo refusedByStandby() {
        return withRoute(Route.PRIMARY, "refused by a standby before");
    }

    static StatementInfo primary(String reason) {
        return new StatementInfo(Route.PRIMARY, TransactionEffect.NONE, false, reason);
    }

    /** A SET the router carries: it runs anywhere and pins nothing. */
    static StatementInfo carried(SettingAssignment assignment) {
        return new StatementInfo(Route.REPLICA, TransactionEffect.NONE, false, "carried assignment", null, false, assignment);
    }

    static StatementInfo replica(String reason) {
        return new StatementInfo(Route.REPLICA, TransactionEffect.NONE, false, reason);
    }
}
