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
public final class StoredResponse {

    private final String key;
    private final int status;
    private final HeaderList headers;
    private final byte[] body;
    private final long requestMillis;
    private final long responseMillis;
    private final boolean invalidated;
    private final List<String> varyNames;
    private final List<String> varyValues;
    /** Parsed once per entry: the caching directives and the date fields every lookup consults. */
    private volatile Directives directives;
    private volatile long[] dates;

    public StoredResponse(String key, int status, HeaderList headers, byte[] body, long requestMillis,
                          long responseMillis, boolean invalidated, List<String> varyNames, List<String> varyValues) {
        this.key = key;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.requestMillis = requestMillis;
        this.responseMillis = responseMillis;
        this.invalidated = invalidated;
        this.varyNames = List.copyOf(varyNames);
        this.varyValues = List.copyOf(varyValues);
    }

    public String key() {
        return key;
    }

    public int status() {
        return status;
    }

    public HeaderList headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }

    public long requestMillis() {
        return requestMillis;
    }

    public long responseMillis() {
        return responseMillis;
    }

    public boolean invalidated() {
        return invalidated;
    }

    public List<String> varyNames() {
        return varyNames;
    }

    public List<String> varyValues() {
        return varyValues;
    }

    Directives directives(java.util.function.Function<HeaderList, Directives> parse) {
        Directives parsed = directives;
        if (parsed == null) {
            parsed = parse.apply(headers);
            directives = parsed;
        }
        return parsed;
    }

    /** Date, Expires, Last-Modified, Age (ms; Long.MIN_VALUE when absent or invalid; Age in ms or -1). */
    long[] dates() {
        long[] parsed = dates;
        if (parsed == null) {
            parsed = new long[] {orAbsent(CachePolicy.httpDate(headers.first("Date"))),
                    orAbsent(CachePolicy.httpDate(headers.first("Expires"))),
                    orAbsent(CachePolicy.httpDate(headers.first("Last-Modified"))), age(headers.first("Age"))};
            dates = parsed;
        }
        return parsed;
    }

    private static long orAbsent(Long value) {
        return value == null ? Long.MIN_VALUE : value;
    }

    private static long age(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Math.max(0, Long.parseLong(value.strip())) * 1000;
        } catch (NumberFormatException e) {
            return -1;
        }
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
