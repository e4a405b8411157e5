package dev.meridian.ws.protocol;

/** A command the server refuses: answered with the protocol error, the connection stays open. */
public final class CommandException extends RuntimeException {

    private final ClientError error;

    public CommandException(ClientError error) {
        this(error, error.message());
    }

    public CommandException(ClientError error, String detail) {
        super(detail, null, false, false);
        this.error = error;
    }

    public ClientError error() {
        return error;
    }
}
