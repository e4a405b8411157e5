package dev.meridian.router.wire;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendMessagesTest {

    @Test
    void errorResponseCarriesSeveritySqlStateAndMessage() {
        ByteBuffer error = BackendMessages.fatal("53300", "sorry, too many clients already");
        assertEquals('E', (char) error.get());
        int length = error.getInt();
        assertEquals(error.remaining() + 4, length);
        String fields = new String(error.array(), 5, length - 4, StandardCharsets.UTF_8);
        assertTrue(fields.contains("SFATAL\0VFATAL\0C53300\0Msorry, too many clients already\0"), fields);
        assertEquals(0, error.array()[error.limit() - 1]);
    }

    @Test
    void theCommandTagsOfStatementsDroppingEveryPreparedStatementAreRecognised() {
        assertTrue(BackendMessages.dropsPreparedStatements(tag("DEALLOCATE ALL")));
        assertTrue(BackendMessages.dropsPreparedStatements(tag("DISCARD ALL")));
        assertFalse(BackendMessages.dropsPreparedStatements(tag("DEALLOCATE")));
        assertFalse(BackendMessages.dropsPreparedStatements(tag("DISCARD PLANS")));
        assertFalse(BackendMessages.dropsPreparedStatements(tag("SELECT 1")));
    }

    /** A CommandComplete's body as the relay sees it. */
    private static ByteBuffer tag(String tag) {
        ByteBuffer message = BackendMessages.commandComplete(tag);
        return message.position(5).slice();
    }

    @Test
    void authenticationRequests() {
        ByteBuffer ok = BackendMessages.authenticationOk();
        assertEquals(9, ok.remaining());
        assertEquals(0, ok.getInt(5));
        ByteBuffer sasl = BackendMessages.authenticationSasl();
        assertEquals(10, sasl.getInt(5));
        assertTrue(new String(sasl.array(), 9, sasl.limit() - 9, StandardCharsets.US_ASCII).startsWith("SCRAM-SHA-256\0"));
        assertEquals(5, BackendMessages.authenticationMd5(new byte[] {1, 2, 3, 4}).getInt(5));
        assertEquals('N', (char) BackendMessages.negotiationAnswer(false).get());
        assertEquals('Z', (char) BackendMessages.readyForQuery('I').get(0));
    }
}
