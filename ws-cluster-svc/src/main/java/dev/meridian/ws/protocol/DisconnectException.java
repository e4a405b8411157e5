package dev.meridian.ws.protocol;

/** Input that ends the connection: closed with the protocol's disconnect code. */
public final class DisconnectException extends RuntimeException {

    private final Disconnect disconnect;

    public DisconnectException(Disconnect disconnect, String detail) {
        super(detail, null, false, false);
        this.disconnect = disconnect;
    }

    public Disconnect disconnect() {
        return disconnect;
    }
}
