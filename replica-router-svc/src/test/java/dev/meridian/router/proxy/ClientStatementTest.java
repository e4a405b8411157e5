package dev.meridian.router.proxy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ClientStatementTest {

    @Test
    void oneServerNamePerStatementTextAndTypes() {
        byte[] select = "select $1\0\0\1\0\0\0\27".getBytes(StandardCharsets.ISO_8859_1);
        byte[] sameText = "select $1\0\0\1\0\0\0\27".getBytes(StandardCharsets.ISO_8859_1);
        byte[] otherType = "select $1\0\0\1\0\0\0\31".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(ClientStatement.serverNameFor(select), ClientStatement.serverNameFor(sameText));
        assertNotEquals(ClientStatement.serverNameFor(select), ClientStatement.serverNameFor(otherType));
    }

    @Test
    void aParseMessageCarriesTheServerName() {
        byte[] tail = "select 1\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
        ClientStatement statement = new ClientStatement("meridian_7", tail, null);
        var parse = statement.parseMessage();
        assertEquals('P', parse.getByte(0));
        assertEquals(parse.length() - 1, parse.getInt(1));
        assertEquals("meridian_7", parse.getString(5, 15));
    }
}
