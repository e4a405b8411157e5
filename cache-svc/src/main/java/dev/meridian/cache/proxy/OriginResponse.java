package dev.meridian.cache.proxy;

import dev.meridian.cache.http.HeaderList;

/**
 * What the origin answered, body buffered.
 *
 * @param requestMillis  when the request was sent
 * @param responseMillis when the response had fully arrived
 */
record OriginResponse(int status, HeaderList headers, byte[] body, long requestMillis, long responseMillis) {
}
