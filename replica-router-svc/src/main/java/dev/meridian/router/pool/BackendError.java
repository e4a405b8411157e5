package dev.meridian.router.pool;

/** A backend refused or broke a server connection; carries its SQLSTATE when it sent one. */
public final class BackendError extends RuntimeException {

    private final String sqlState;

    public BackendError(String sqlState, String message) {
        super(message);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
