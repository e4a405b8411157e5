package dev.meridian.router.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Encoders for what the router sends to backends as a client. */
public final class FrontendMessages {

    private FrontendMessages() {
    }

    /** StartupMessage for protocol 3.0 with the given parameters (user, database, application_name…). */
    public static ByteBuffer startup(Map<String, String> parameters) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        parameters.forEach((name, value) -> {
            BackendMessages.cString(body, name);
            BackendMessages.cString(body, value);
        });
        body.write(0);
        byte[] bytes = body.toByteArray();
        return ByteBuffer.allocate(8 + bytes.length).putInt(8 + bytes.length).putInt(StartupPacket.PROTOCOL_3_0).put(bytes).flip();
    }

    /** SSLRequest: asks the server to start TLS before the startup message. */
    public static ByteBuffer sslRequest() {
        return ByteBuffer.allocate(8).putInt(8).putInt(StartupPacket.SSL_REQUEST).flip();
    }

    /** CancelRequest for a backend's process, with the key from its BackendKeyData. */
    public static ByteBuffer cancelRequest(int processId, int secretKey) {
        return ByteBuffer.allocate(16).putInt(16).putInt(StartupPacket.CANCEL_REQUEST).putInt(processId).putInt(secretKey).flip();
    }

    /** SASLInitialResponse: mechanism and the client-first-message. */
    public static ByteBuffer saslInitialResponse(String mechanism, String clientFirst) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        BackendMessages.cString(body, mechanism);
        byte[] data = clientFirst.getBytes(StandardCharsets.UTF_8);
        body.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        body.writeBytes(data);
        return BackendMessages.typed('p', body.toByteArray());
    }

    /** SASLResponse: the client-final-message. */
    public static ByteBuffer saslResponse(String clientFinal) {
        return BackendMessages.typed('p', clientFinal.getBytes(StandardCharsets.UTF_8));
    }

    /** A simple-protocol Query. */
    public static ByteBuffer query(String sql) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        BackendMessages.cString(body, sql);
        return BackendMessages.typed('Q', body.toByteArray());
    }

    /** Close of a prepared statement. */
    public static ByteBuffer closeStatement(String name) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write('S');
        BackendMessages.cString(body, name);
        return BackendMessages.typed('C', body.toByteArray());
    }

    public static ByteBuffer sync() {
        return BackendMessages.typed('S', new byte[0]);
    }

    public static ByteBuffer terminate() {
        return BackendMessages.typed('X', new byte[0]);
    }
}
