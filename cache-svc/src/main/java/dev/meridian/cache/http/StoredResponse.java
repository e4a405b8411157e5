package dev.meridian.cache.http;

import java.util.List;

/**
 * A response as the cache keeps it.
 *
 * @param key           the entry's cache key (primary key plus Vary'd request values)
 * @param status        status code
 * @param headers       header lines as the origin sent them (hop-by-hop fields removed)
 * @param body          the body bytes
 * @param requestMillis when the request that fetched it was sent (RFC 9111 request_time)
 * @param responseMillis when the response arrived (response_time)
 * @param invalidated   soft-purged: usable only as a stale response
 * @param varyNames     the request header names (lower case) this response varies on
 * @param varyValues    the request's normalised values of those headers, in order
 */
public record StoredResponse(String key, int status, HeaderList headers, byte[] body, long requestMillis,
                             long responseMillis, boolean invalidated, List<String> varyNames, List<String> varyValues) {

    public StoredResponse {
        varyNames = List.copyOf(varyNames);
        varyValues = List.copyOf(varyValues);
    }

    public StoredResponse markInvalidated() {
        return new StoredResponse(key, status, headers, body, requestMillis, responseMillis, true, varyNames, varyValues);
    }

    /** After a 304: the stored headers updated and the clock restarted. */
    public StoredResponse revalidated(HeaderList notModified, long requestMillis, long responseMillis) {
        return new StoredResponse(key, status, headers.updatedBy(notModified), body, requestMillis, responseMillis, false,
                varyNames, varyValues);
    }

    /** The surrogate keys (Surrogate-Key, Cache-Tag) purges can name it by. */
    public List<String> tags() {
        List<String> tags = new java.util.ArrayList<>();
        for (String line : headers.all("Surrogate-Key")) {
            for (String tag : line.trim().split("\\s+")) {
                if (!tag.isEmpty()) {
                    tags.add(tag);
                }
            }
        }
        for (String tag : headers.tokens("Cache-Tag")) {
            tags.add(tag);
        }
        return tags;
    }

    /** Approximate memory use, for the byte-bounded L1. */
    public int weight() {
        int weight = 128 + key.length() * 2 + body.length;
        for (Header header : headers.lines()) {
            weight += 48 + (header.name().length() + header.value().length()) * 2;
        }
        return weight;
    }
}
