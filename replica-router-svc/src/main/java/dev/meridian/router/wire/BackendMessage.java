package dev.meridian.router.wire;

import java.nio.ByteBuffer;

/**
 * A typed message from a PostgreSQL backend, its body kept as bytes to forward untouched.
 *
 * @param type e.g. 'R' (Authentication*), 'E' (ErrorResponse), 'Z' (ReadyForQuery), 'D' (DataRow)
 */
public record BackendMessage(byte type, ByteBuffer body) {

    /** For 'R' messages: which authentication request (0 OK, 5 MD5, 10 SASL, 11 SASL continue, 12 SASL final). */
    public int authenticationCode() {
        return body.getInt(0);
    }

    /** For 'E' and 'N' messages: the value of one field, e.g. 'C' for the SQLSTATE; null if absent. */
    public String field(char code) {
        ByteBuffer fields = body.duplicate();
        while (fields.hasRemaining()) {
            byte kind = fields.get();
            if (kind == 0) {
                return null;
            }
            String value = MessageDecoder.cString(fields, "ErrorResponse");
            if (kind == code) {
                return value;
            }
        }
        return null;
    }
}
