package dev.meridian.ws.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandParserTest {

    private final CommandParser parser = new CommandParser(new ObjectMapper(), 3);

    @Test
    void readsSeveralCommandsSeparatedByNewlines() {
        List<ClientCommand> commands = parser.parse("{\"id\":1,\"connect\":{\"token\":\"t\"}}\n{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}\n");
        assertEquals(2, commands.size());
        assertEquals(Method.CONNECT, commands.get(0).method());
        assertEquals("t", commands.get(0).text("token"));
        assertEquals(2, commands.get(1).id());
        assertEquals("news", commands.get(1).text("channel"));
    }

    @Test
    void anEmptyObjectIsAPong() {
        assertTrue(parser.parse("{}").get(0).isPong());
    }

    @Test
    void anUnknownMethodIsKeptForAMethodNotFoundReply() {
        ClientCommand command = parser.parse("{\"id\":7,\"teleport\":{}}").get(0);
        assertNull(command.method());
        assertEquals("teleport", command.unknownField());
    }

    @Test
    void malformedInputIsABadRequestDisconnect() {
        for (String bad : List.of("{not json", "[1,2]", "\"text\"", "{\"id\":-1,\"ping\":{}}", "{\"id\":1.5,\"ping\":{}}",
                "{\"id\":1,\"ping\":{},\"publish\":{}}", "{\"id\":1,\"subscribe\":\"news\"}", "{\"id\":3}", "", "\n\n")) {
            DisconnectException e = assertThrows(DisconnectException.class, () -> parser.parse(bad), bad);
            assertEquals(Disconnect.BAD_REQUEST, e.disconnect(), bad);
        }
    }

    @Test
    void tooManyCommandsInOneMessageIsABadRequest() {
        String four = "{\"id\":1,\"ping\":{}}\n".repeat(4);
        assertThrows(DisconnectException.class, () -> parser.parse(four));
    }
}
