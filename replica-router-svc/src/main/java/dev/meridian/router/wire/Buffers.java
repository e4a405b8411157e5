package dev.meridian.router.wire;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;

/** The encoders' ByteBuffers as Vert.x Buffers, for writing to sockets. */
public final class Buffers {

    private Buffers() {
    }

    public static Buffer of(ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.duplicate().get(bytes);
        return Buffer.buffer(bytes);
    }
}
