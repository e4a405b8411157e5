package dev.meridian.router.auth;

import dev.meridian.router.wire.BackendMessage;
import dev.meridian.router.wire.FrontendMessages;
import dev.meridian.router.wire.MessageDecoder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The codecs and SCRAM against the real PostgreSQL 15 primary of ./meridian test (port 15432,
 * user meridian/meridian, SCRAM): the handshake a backend connection of the router will make, a
 * query over it, a refused password, and the server-side exchange against PostgreSQL's own stored
 * secret.
 */
class PostgresHandshakeTest {

    private static final int PRIMARY = 15432;

    /** A blocking client connection speaking through the router's codecs. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final MessageDecoder decoder = new MessageDecoder(1 << 20);
        private ByteBuffer pending = ByteBuffer.allocate(0);

        Connection() throws IOException {
            socket = new Socket("127.0.0.1", PRIMARY);
            socket.setSoTimeout(5000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        void send(ByteBuffer message) throws IOException {
            byte[] bytes = new byte[message.remaining()];
            message.get(bytes);
            out.write(bytes);
            out.flush();
        }

        BackendMessage read() throws IOException {
            while (true) {
                var message = decoder.backendMessage(pending);
                if (message.isPresent()) {
                    return message.get();
                }
                byte[] chunk = new byte[8192];
                int n = in.read(chunk);
                if (n < 0) {
                    throw new IOException("server closed the connection");
                }
                ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + n);
                joined.put(pending).put(chunk, 0, n).flip();
                pending = joined;
            }
        }

        /** Runs startup and SCRAM; returns the first message after the SASL exchange. */
        BackendMessage authenticate(String user, String password) throws IOException {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("user", user);
            parameters.put("database", "meridian");
            parameters.put("application_name", "meridian-router-test");
            send(FrontendMessages.startup(parameters));
            BackendMessage sasl = read();
            assertEquals('R', (char) sasl.type());
            assertEquals(10, sasl.authenticationCode());
            assertTrue(text(sasl, 4).contains("SCRAM-SHA-256"));
            ScramClientExchange scram = new ScramClientExchange(password, "routerTestNonce" + System.nanoTime());
            send(FrontendMessages.saslInitialResponse("SCRAM-SHA-256", scram.clientFirst()));
            BackendMessage serverFirst = read();
            assertEquals(11, serverFirst.authenticationCode());
            send(FrontendMessages.saslResponse(scram.clientFinal(text(serverFirst, 4))));
            BackendMessage next = read();
            if (next.type() == 'R' && next.authenticationCode() == 12) {
                scram.serverFinal(text(next, 4));
                return read();
            }
            return next;
        }

        @Override
        public void close() throws IOException {
            send(FrontendMessages.terminate());
            socket.close();
        }
    }

    private static String text(BackendMessage message, int from) {
        ByteBuffer body = message.body().duplicate();
        body.position(from);
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void scramHandshakeAndASimpleQueryAgainstPostgres() throws IOException {
        try (Connection connection = new Connection()) {
            BackendMessage ok = connection.authenticate("meridian", "meridian");
            assertEquals('R', (char) ok.type());
            assertEquals(0, ok.authenticationCode());
            List<Character> setup = new ArrayList<>();
            BackendMessage message;
            do {
                message = connection.read();
                setup.add((char) message.type());
            } while (message.type() != 'Z');
            assertTrue(setup.contains('S') && setup.contains('K'), "ParameterStatus and BackendKeyData: " + setup);

            connection.send(FrontendMessages.query("select 41 + 1 as answer"));
            assertEquals('T', (char) connection.read().type());
            BackendMessage row = connection.read();
            assertEquals('D', (char) row.type());
            ByteBuffer fields = row.body().duplicate();
            assertEquals(1, fields.getShort());
            int length = fields.getInt();
            byte[] value = new byte[length];
            fields.get(value);
            assertEquals("42", new String(value, StandardCharsets.UTF_8));
            assertEquals('C', (char) connection.read().type());
            assertEquals('Z', (char) connection.read().type());
        }
    }

    @Test
    void aWrongPasswordIsRefusedWith28P01() throws IOException {
        Connection connection = new Connection();
        try {
            BackendMessage refused = connection.authenticate("meridian", "not-the-password");
            assertEquals('E', (char) refused.type());
            assertEquals("28P01", refused.field('C'));
        } finally {
            // The server has closed its side: no Terminate, just close ours.
            connection.socket.close();
        }
    }

    @Test
    void ourServerSideAcceptsPostgresOwnStoredSecret() throws IOException {
        // given: the secret PostgreSQL stored for meridian (read as the superuser of the local cluster)
        String stored;
        try (Connection admin = new Connection()) {
            assertEquals(0, admin.authenticate("postgres", "postgres").authenticationCode());
            BackendMessage message;
            do {
                message = admin.read();
            } while (message.type() != 'Z');
            admin.send(FrontendMessages.query("select rolpassword from pg_authid where rolname = 'meridian'"));
            admin.read();
            ByteBuffer fields = admin.read().body().duplicate();
            fields.getShort();
            byte[] value = new byte[fields.getInt()];
            fields.get(value);
            stored = new String(value, StandardCharsets.UTF_8);
            admin.read();
            admin.read();
        }
        ScramSecret secret = ScramSecret.parse(stored);

        // when: our client and our server run an exchange with it
        ScramServerExchange server = new ScramServerExchange("meridian", secret, "serverNonce123");
        ScramClientExchange client = new ScramClientExchange("meridian", "clientNonce456");
        String serverFirst = server.clientFirst(client.clientFirst());
        String serverFinal = server.clientFinal(client.clientFinal(serverFirst));

        // then: both sides are satisfied, and a wrong password is not
        client.serverFinal(serverFinal);
        ScramServerExchange again = new ScramServerExchange("meridian", secret, "serverNonce789");
        ScramClientExchange wrong = new ScramClientExchange("wrong", "clientNonce000");
        String first = again.clientFirst(wrong.clientFirst());
        assertThrows(AuthenticationFailedException.class, () -> again.clientFinal(wrong.clientFinal(first)));
    }
}
