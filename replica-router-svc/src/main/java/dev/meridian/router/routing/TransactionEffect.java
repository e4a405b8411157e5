package dev.meridian.router.routing;

/** What a statement does to the client's transaction state. */
public enum TransactionEffect {
    NONE,
    /** BEGIN / START TRANSACTION: the transaction stays on the primary until it ends. */
    BEGIN,
    /** BEGIN READ ONLY / START TRANSACTION READ ONLY: the transaction may run on a replica. */
    BEGIN_READ_ONLY,
    /** SET TRANSACTION READ ONLY inside an open transaction. */
    SET_READ_ONLY,
    /** COMMIT, END, ROLLBACK, ABORT (not ROLLBACK TO SAVEPOINT). */
    END
}
