package dev.meridian.router.wire;

import java.nio.ByteBuffer;

/**
 * A typed message from the client: its type byte and body (without the type and length). The
 * body is kept as bytes so it can be forwarded untouched.
 *
 * @param type e.g. 'Q' (Query), 'P' (Parse), 'B' (Bind), 'X' (Terminate)
 */
public record FrontendMessage(byte type, ByteBuffer body) {

    /** The bytes as they travel: type, length, body. */
    public ByteBuffer toWire() {
        ByteBuffer wire = ByteBuffer.allocate(5 + body.remaining());
        wire.put(type).putInt(4 + body.remaining()).put(body.duplicate()).flip();
        return wire;
    }
}
