package dev.meridian.cache.proxy;

import dev.meridian.cache.http.HeaderList;

/**
 * What the origin answered: the body buffered whole, or — when it is larger than the cache keeps —
 * the bytes read so far and the rest still to stream.
 *
 * @param requestMillis  when the request was sent
 * @param responseMillis when the response (or its first bytes, when streaming) arrived
 * @param rest           null when {@code body} is the whole body; else the paused origin response to relay after it
 */
record OriginResponse(int status, HeaderList headers, byte[] body, long requestMillis, long responseMillis,
                      io.vertx.core.http.HttpClientResponse rest) {

    OriginResponse(int status, HeaderList headers, byte[] body, long requestMillis, long responseMillis) {
        this(status, headers, body, requestMillis, responseMillis, null);
    }

    boolean streaming() {
        return rest != null;
    }
}
