package dev.meridian.router.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Cuts client bytes into packets. Each method reads one packet from the front of {@code input}
 * when it is complete (advancing the buffer's position) and returns empty, leaving the buffer as
 * it was, when more bytes are needed. Lengths are checked before anything is buffered.
 */
public final class MessageDecoder {

    /** Message types a client may send in protocol 3.0, by type byte (looked up for every client message). */
    private static final boolean[] IS_FRONTEND_TYPE = new boolean[256];

    static {
        for (char type : "QPBEDCHSXFdcfp".toCharArray()) {
            IS_FRONTEND_TYPE[type] = true;
        }
    }

    private final int maxMessageBytes;

    public MessageDecoder(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The untyped first packet: length (int32, including itself), then a code or the protocol version. */
    public Optional<StartupPacket> startup(ByteBuffer input) {
        if (input.remaining() < 4) {
            return Optional.empty();
        }
        int length = input.getInt(input.position());
        if (length < 8) {
            throw new ProtocolException("invalid startup packet length " + length);
        }
        if (length > Math.min(maxMessageBytes, 10_000)) {
            throw new FrameTooLargeException(Math.min(maxMessageBytes, 10_000), length);
        }
        if (input.remaining() < length) {
            return Optional.empty();
        }
        ByteBuffer packet = input.slice(input.position(), length);
        input.position(input.position() + length);
        packet.getInt();
        int code = packet.getInt();
        switch (code) {
            case StartupPacket.SSL_REQUEST -> {
                expectLength(length, 8, "SSLRequest");
                return Optional.of(new StartupPacket.SslRequest());
            }
            case StartupPacket.GSSENC_REQUEST -> {
                expectLength(length, 8, "GSSENCRequest");
                return Optional.of(new StartupPacket.GssEncRequest());
            }
            case StartupPacket.CANCEL_REQUEST -> {
                expectLength(length, 16, "CancelRequest");
                return Optional.of(new StartupPacket.CancelRequest(packet.getInt(), packet.getInt()));
            }
            default -> {
                if (code >> 16 != 3) {
                    throw new ProtocolException(ProtocolException.PROTOCOL_VIOLATION,
                            "unsupported frontend protocol " + (code >> 16) + "." + (code & 0xFFFF) + ": server supports 3.0");
                }
                return Optional.of(new StartupPacket.Startup(code, parameters(packet)));
            }
        }
    }

    /** A typed message from a client: type byte (one protocol 3.0 defines), int32 length (including itself), body. */
    public Optional<FrontendMessage> message(ByteBuffer input) {
        return Optional.ofNullable(nextFrontend(input));
    }

    /** A typed message from a backend: the same framing, any type byte, the same length limit. */
    public Optional<BackendMessage> backendMessage(ByteBuffer input) {
        return Optional.ofNullable(nextBackend(input));
    }

    /** As {@link #message}, null when more bytes are needed (for the proxying loop, without wrappers). */
    FrontendMessage nextFrontend(ByteBuffer input) {
        if (input.remaining() >= 1 && !IS_FRONTEND_TYPE[input.get(input.position()) & 0xFF]) {
            throw new ProtocolException("invalid frontend message type " + (input.get(input.position()) & 0xFF));
        }
        byte type = input.remaining() >= 1 ? input.get(input.position()) : 0;
        ByteBuffer body = body(input);
        return body == null ? null : new FrontendMessage(type, body);
    }

    /** As {@link #backendMessage}, null when more bytes are needed. */
    BackendMessage nextBackend(ByteBuffer input) {
        byte type = input.remaining() >= 1 ? input.get(input.position()) : 0;
        ByteBuffer body = body(input);
        return body == null ? null : new BackendMessage(type, body);
    }

    /** The body of the complete frame at the front of {@code input}, which moves past it; null while incomplete. */
    private ByteBuffer body(ByteBuffer input) {
        int start = input.position();
        int length = frameLength(input);
        if (length < 0) {
            return null;
        }
        input.position(start + 1 + length);
        return input.slice(start + 5, length - 4);
    }

    /** The length field of the complete frame at the front of {@code input}, or -1 while it is incomplete. */
    private int frameLength(ByteBuffer input) {
        if (input.remaining() < 5) {
            return -1;
        }
        int length = input.getInt(input.position() + 1);
        if (length < 4) {
            throw new ProtocolException("invalid message length " + length);
        }
        if (length > maxMessageBytes) {
            throw new FrameTooLargeException(maxMessageBytes, Integer.toUnsignedLong(length));
        }
        if (input.remaining() < 1 + length) {
            return -1;
        }
        return length;
    }

    /** The text of a Query ('Q') message: one NUL-terminated string filling the body. */
    public static String queryText(FrontendMessage query) {
        ByteBuffer body = query.body().duplicate();
        String text = cString(body, "Query");
        if (body.hasRemaining()) {
            throw new ProtocolException("Query message has bytes after its string");
        }
        return text;
    }

    private static Map<String, String> parameters(ByteBuffer packet) {
        Map<String, String> parameters = new LinkedHashMap<>();
        while (true) {
            String name = cString(packet, "StartupMessage");
            if (name.isEmpty()) {
                break;
            }
            parameters.put(name, cString(packet, "StartupMessage"));
        }
        if (packet.hasRemaining()) {
            throw new ProtocolException("StartupMessage has bytes after its terminator");
        }
        if (!parameters.containsKey("user") || parameters.get("user").isEmpty()) {
            // PostgreSQL's own wording for this case.
            throw new ProtocolException("28000", "no PostgreSQL user name specified in startup packet");
        }
        return parameters;
    }

    /** The 'S' (statement) or 'P' (portal) that a Describe or Close body starts with. */
    public static byte subtype(ByteBuffer body, String where) {
        if (!body.hasRemaining()) {
            throw new ProtocolException(where + " message has no subtype");
        }
        byte kind = body.get();
        if (kind != 'S' && kind != 'P') {
            // PostgreSQL's wording.
            throw new ProtocolException("invalid " + where.toUpperCase(java.util.Locale.ROOT) + " message subtype " + kind);
        }
        return kind;
    }

    public static String cString(ByteBuffer buffer, String where) {
        int start = buffer.position();
        for (int i = start; i < buffer.limit(); i++) {
            if (buffer.get(i) == 0) {
                byte[] bytes = new byte[i - start];
                buffer.get(bytes);
                buffer.get();
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
        throw new ProtocolException(where + " has an unterminated string");
    }

    private static void expectLength(int length, int expected, String what) {
        if (length != expected) {
            throw new ProtocolException(what + " must be " + expected + " bytes, got " + length);
        }
    }
}
