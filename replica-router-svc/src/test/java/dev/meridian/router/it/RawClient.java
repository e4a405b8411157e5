package dev.meridian.router.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A bare socket speaking bytes to the router, for what no well-behaved driver would send. */
final class RawClient implements AutoCloseable {

    /** A message read back: type and body. */
    record Reply(char type, byte[] body) {
        /** An ErrorResponse field, e.g. 'C' for the SQLSTATE. */
        String field(char code) {
            int i = 0;
            while (i < body.length && body[i] != 0) {
                char kind = (char) body[i++];
                int start = i;
                while (body[i] != 0) {
                    i++;
                }
                String value = new String(body, start, i - start, StandardCharsets.UTF_8);
                i++;
                if (kind == code) {
                    return value;
                }
            }
            return null;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        this(port, 0);
    }

    /** {@code receiveBuffer} > 0: a small socket receive buffer, for a client that reads slowly. */
    RawClient(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    static byte[] startup(String user) {
        return startup(user, java.util.Map.of());
    }

    /** With more startup parameters (settings such as search_path). */
    static byte[] startup(String user, java.util.Map<String, String> settings) {
        return startup(196_608, user, settings);
    }

    /** {@code protocol}: major version in the high 16 bits, minor in the low (3.0 = 196608). */
    static byte[] startup(int protocol, String user, java.util.Map<String, String> settings) {
        StringBuilder text = new StringBuilder("user\0" + user + "\0database\0meridian\0");
        settings.forEach((name, value) -> text.append(name).append('\0').append(value).append('\0'));
        byte[] parameters = text.append('\0').toString().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + parameters.length).putInt(8 + parameters.length).putInt(protocol).put(parameters).array();
    }

    /** Startup and SCRAM through the router's own client-side exchange, up to ReadyForQuery. */
    void login(String user, String password) throws IOException {
        login(user, password, java.util.Map.of());
    }

    void login(String user, String password, java.util.Map<String, String> settings) throws IOException {
        login(startup(user, settings), password);
    }

    /** NegotiateProtocolVersion, if the router sent one before authentication. */
    Reply negotiated;

    /** Logs in with a startup packet of the caller's making. */
    void login(byte[] startupPacket, String password) throws IOException {
        send(startupPacket);
        Reply first = read();
        if (first.type() == 'v') {
            negotiated = first;
            read();
        }
        var scram = new dev.meridian.router.auth.ScramClientExchange(password, "rawClientNonce" + System.nanoTime());
        send(bytes(dev.meridian.router.wire.FrontendMessages.saslInitialResponse("SCRAM-SHA-256", scram.clientFirst())));
        Reply serverFirst = read();
        send(bytes(dev.meridian.router.wire.FrontendMessages.saslResponse(
                scram.clientFinal(new String(serverFirst.body(), 4, serverFirst.body().length - 4, StandardCharsets.UTF_8)))));
        Reply reply;
        do {
            reply = read();
            if (reply.type() == 'E') {
                throw new IOException("login refused: " + reply.field('M'));
            }
        } while (reply.type() != 'Z');
    }

    /** A simple-protocol Query message. */
    void query(String sql) throws IOException {
        send(bytes(dev.meridian.router.wire.FrontendMessages.query(sql)));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    Reply read() throws IOException {
        return readAfterType((char) in.readUnsignedByte());
    }

    private Reply readAfterType(char type) throws IOException {
        int length = in.readInt();
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return new Reply(type, body);
    }

    /** The next message if one starts within {@code millis}, else null (the stream is left at a message boundary). */
    Reply readWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        char type;
        try {
            type = (char) in.readUnsignedByte();
        } catch (java.net.SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(10_000);
        }
        return readAfterType(type);
    }

    int readByte() throws IOException {
        return in.read();
    }

    /** Reads until an ErrorResponse or the end of the stream; null if the stream ended first. */
    Reply readUntilError() throws IOException {
        try {
            while (true) {
                Reply reply = read();
                if (reply.type() == 'E') {
                    return reply;
                }
            }
        } catch (java.io.EOFException e) {
            return null;
        }
    }

    /** True once the router has closed its side. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
