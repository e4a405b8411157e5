package dev.meridian.router.routing;

/** What a statement does to the client's transaction state. */
public enum TransactionEffect {
    NONE,
    /**
     * BEGIN / START TRANSACTION without transaction modes: the session's default access mode applies
     * (read-only where default_transaction_read_only is on, and then it may run on a replica).
     */
    BEGIN_DEFAULT,
    /** BEGIN / START TRANSACTION with modes that need the primary (READ WRITE, SERIALIZABLE, …): it stays there until it ends. */
    BEGIN,
    /** BEGIN READ ONLY / START TRANSACTION READ ONLY, not serializable: the transaction may run on a replica. */
    BEGIN_READ_ONLY,
    /** SET TRANSACTION READ ONLY (not serializable) inside an open transaction. */
    SET_READ_ONLY,
    /** COMMIT, END, ROLLBACK, ABORT (not ROLLBACK TO SAVEPOINT). */
    END;

    /** Starts a transaction block. */
    public boolean begins() {
        return this == BEGIN_DEFAULT || this == BEGIN || this == BEGIN_READ_ONLY;
    }
}
