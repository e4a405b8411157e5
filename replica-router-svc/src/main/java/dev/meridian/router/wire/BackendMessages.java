package dev.meridian.router.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Encoders for the messages the router itself writes to clients. */
public final class BackendMessages {

    private BackendMessages() {
    }

    private static final byte[] DEALLOCATE_ALL = "DEALLOCATE ALL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DISCARD_ALL = "DISCARD ALL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROLLBACK = "ROLLBACK".getBytes(StandardCharsets.US_ASCII);

    /** A CommandComplete body (its tag) saying DEALLOCATE ALL or DISCARD ALL ran. */
    public static boolean dropsPreparedStatements(ByteBuffer commandComplete) {
        return tagIs(commandComplete, DEALLOCATE_ALL) || tagIs(commandComplete, DISCARD_ALL);
    }

    /** A CommandComplete body saying DISCARD ALL ran (which also resets every setting). */
    public static boolean discardedAll(ByteBuffer commandComplete) {
        return tagIs(commandComplete, DISCARD_ALL);
    }

    /** A CommandComplete body of ROLLBACK (a COMMIT of a failed transaction and ROLLBACK TO SAVEPOINT say so too). */
    public static boolean rolledBack(ByteBuffer commandComplete) {
        return tagIs(commandComplete, ROLLBACK);
    }

    private static boolean tagIs(ByteBuffer body, byte[] tag) {
        int at = body.position();
        if (body.remaining() != tag.length + 1 || body.get(at + tag.length) != 0) {
            return false;
        }
        for (int i = 0; i < tag.length; i++) {
            if (body.get(at + i) != tag[i]) {
                return false;
            }
        }
        return true;
    }

    /** ErrorResponse: severity (localized and not), SQLSTATE, message. */
    public static ByteBuffer error(String severity, String sqlState, String message) {
        ByteArrayOutputStream fields = new ByteArrayOutputStream();
        field(fields, 'S', severity);
        field(fields, 'V', severity);
        field(fields, 'C', sqlState);
        field(fields, 'M', message);
        fields.write(0);
        return typed('E', fields.toByteArray());
    }

    public static ByteBuffer fatal(String sqlState, String message) {
        return error("FATAL", sqlState, message);
    }

    /** The single byte answering SSLRequest or GSSENCRequest: 'N' (not supported) or 'S'. */
    public static ByteBuffer negotiationAnswer(boolean accepted) {
        return ByteBuffer.wrap(new byte[] {(byte) (accepted ? 'S' : 'N')});
    }

    public static ByteBuffer authenticationOk() {
        return typed('R', ByteBuffer.allocate(4).putInt(0).array());
    }

    /** AuthenticationMD5Password with its 4-byte salt. */
    public static ByteBuffer authenticationMd5(byte[] salt) {
        return typed('R', ByteBuffer.allocate(8).putInt(5).put(salt).array());
    }

    /** AuthenticationSASL offering SCRAM-SHA-256. */
    public static ByteBuffer authenticationSasl() {
        byte[] mechanism = "SCRAM-SHA-256".getBytes(StandardCharsets.US_ASCII);
        return typed('R', ByteBuffer.allocate(4 + mechanism.length + 2).putInt(10).put(mechanism).put((byte) 0).put((byte) 0).array());
    }

    public static ByteBuffer authenticationSaslContinue(byte[] data) {
        return typed('R', ByteBuffer.allocate(4 + data.length).putInt(11).put(data).array());
    }

    public static ByteBuffer authenticationSaslFinal(byte[] data) {
        return typed('R', ByteBuffer.allocate(4 + data.length).putInt(12).put(data).array());
    }

    public static ByteBuffer parameterStatus(String name, String value) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        cString(body, name);
        cString(body, value);
        return typed('S', body.toByteArray());
    }

    public static ByteBuffer backendKeyData(int processId, int secretKey) {
        return typed('K', ByteBuffer.allocate(8).putInt(processId).putInt(secretKey).array());
    }

    /**
     * NegotiateProtocolVersion: the newest minor version of protocol 3 the router speaks (0) and the
     * protocol options ({@code _pq_.} startup parameters) it does not know, as PostgreSQL answers a
     * client asking for more than it supports; the client then goes on with 3.0.
     */
    public static ByteBuffer negotiateProtocolVersion(java.util.List<String> unknownOptions) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        ByteBuffer counts = ByteBuffer.allocate(8).putInt(0).putInt(unknownOptions.size());
        body.writeBytes(counts.array());
        for (String option : unknownOptions) {
            body.writeBytes(option.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        return typed('v', body.toByteArray());
    }

    /** ReadyForQuery: 'I' idle, 'T' in a transaction, 'E' in a failed transaction. */
    public static ByteBuffer readyForQuery(char status) {
        return typed('Z', new byte[] {(byte) status});
    }

    public static ByteBuffer parseComplete() {
        return typed('1', new byte[0]);
    }

    public static ByteBuffer closeComplete() {
        return typed('3', new byte[0]);
    }

    /** CommandComplete with its tag, e.g. {@code BEGIN}. */
    public static ByteBuffer commandComplete(String tag) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        cString(body, tag);
        return typed('C', body.toByteArray());
    }

    static ByteBuffer typed(char type, byte[] body) {
        ByteBuffer message = ByteBuffer.allocate(5 + body.length);
        message.put((byte) type).putInt(4 + body.length).put(body).flip();
        return message;
    }

    private static void field(ByteArrayOutputStream out, char code, String value) {
        out.write(code);
        cString(out, value);
    }

    static void cString(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.write(0);
    }
}
