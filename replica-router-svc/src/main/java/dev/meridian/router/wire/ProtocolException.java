package dev.meridian.router.wire;

/**
 * A client broke the protocol: answered with ErrorResponse (SQLSTATE {@link #sqlState()}) and the
 * connection closed; nobody else is affected.
 */
public class ProtocolException extends RuntimeException {

    /** protocol_violation */
    public static final String PROTOCOL_VIOLATION = "08P01";

    private final String sqlState;

    public ProtocolException(String message) {
        this(PROTOCOL_VIOLATION, message);
    }

    public ProtocolException(String sqlState, String message) {
        super(message, null, false, false);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
