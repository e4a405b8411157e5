package dev.meridian.cache.proxy;

import dev.meridian.cache.http.CachePolicy;
import dev.meridian.cache.http.Header;
import dev.meridian.cache.http.StoredResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Writes the edge's answers: stored or fresh responses with Age, Cache-Status (RFC 9211) and X-Cache; errors. */
final class EdgeResponses {

    /** Fields a 304 from the cache carries (RFC 9110 15.4.5). */
    private static final Set<String> NOT_MODIFIED_FIELDS = Set.of("cache-control", "content-location", "date", "etag",
            "expires", "vary", "last-modified", "surrogate-key", "cache-tag");

    private final CacheRuntime runtime;

    EdgeResponses(CacheRuntime runtime) {
        this.runtime = runtime;
    }

    /** A stored response (or one just validated). {@code detail}: extra Cache-Status parameters. */
    void fromCache(HttpServerRequest request, StoredResponse entry, String xCache, String detail) {
        CachePolicy policy = runtime.policy();
        long now = System.currentTimeMillis();
        long age = policy.ageMillis(entry, now);
        long ttl = (policy.freshnessMillis(entry) - age) / 1000;
        String status = "hit; ttl=" + ttl + (detail == null ? "" : "; " + detail);
        if (detail != null && detail.startsWith("fwd=")) {
            status = detail;
        }
        write(request, entry, age / 1000, xCache, status);
    }

    /** A response just fetched (stored or not). */
    void fromOrigin(HttpServerRequest request, StoredResponse entry, String xCache, String forward) {
        write(request, entry, runtime.policy().ageMillis(entry, System.currentTimeMillis()) / 1000, xCache, forward);
    }

    private void write(HttpServerRequest request, StoredResponse entry, long ageSeconds, String xCache, String cacheStatus) {
        HttpServerResponse response = request.response();
        boolean notModified = entry.status() == 200 && notModified(request, entry);
        response.setStatusCode(notModified ? 304 : entry.status());
        for (Header header : entry.headers().lines()) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (name.equals("age") || notModified && !NOT_MODIFIED_FIELDS.contains(name)) {
                continue;
            }
            response.headers().add(header.name(), header.value());
        }
        response.headers().set("Age", Long.toString(Math.max(0, ageSeconds)));
        response.headers().set("Cache-Status", runtime.cacheName() + "; " + cacheStatus);
        response.headers().set("X-Cache", xCache);
        runtime.metrics().served(xCache, notModified ? 0 : entry.body().length);
        if (notModified || request.method() == HttpMethod.HEAD) {
            if (!notModified) {
                response.headers().set("Content-Length", Integer.toString(entry.body().length));
            }
            response.end();
        } else {
            response.headers().remove("Content-Length");
            response.end(Buffer.buffer(entry.body()));
        }
    }

    /** The client's own conditional request, answered from the stored validators (RFC 9110 13.2.2). */
    private static boolean notModified(HttpServerRequest request, StoredResponse entry) {
        List<String> noneMatch = request.headers().getAll("If-None-Match");
        String etag = entry.headers().first("ETag");
        if (!noneMatch.isEmpty()) {
            if (etag == null) {
                return false;
            }
            String ours = weak(etag);
            for (String line : noneMatch) {
                for (String candidate : line.split(",")) {
                    String tag = candidate.strip();
                    if (tag.equals("*") || weak(tag).equals(ours)) {
                        return true;
                    }
                }
            }
            return false;
        }
        String since = request.getHeader("If-Modified-Since");
        String lastModified = entry.headers().first("Last-Modified");
        if (since != null && lastModified != null) {
            Long sinceMillis = CachePolicy.httpDate(since);
            Long modifiedMillis = CachePolicy.httpDate(lastModified);
            return sinceMillis != null && modifiedMillis != null && modifiedMillis <= sinceMillis;
        }
        return false;
    }

    private static String weak(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    /** A body over the cacheable size: the bytes read so far, then the rest relayed as it arrives. Not stored. */
    void streamed(HttpServerRequest request, OriginResponse origin) {
        HttpServerResponse response = request.response().setStatusCode(origin.status());
        for (Header header : origin.headers().lines()) {
            response.headers().add(header.name(), header.value());
        }
        response.headers().set("X-Cache", "BYPASS");
        response.headers().set("Cache-Status", runtime.cacheName() + "; fwd=uri-miss; fwd-status=" + origin.status() + "; detail=too-large");
        if (!response.headers().contains("Content-Length")) {
            response.setChunked(true);
        }
        runtime.metrics().served("BYPASS", 0);
        if (request.method() == HttpMethod.HEAD) {
            origin.rest().request().reset();
            response.end();
            return;
        }
        if (origin.body().length > 0) {
            response.write(Buffer.buffer(origin.body()));
        }
        origin.rest().pipeTo(response);
    }

    void originError(HttpServerRequest request, OriginUnavailable error) {
        if (request.response().headWritten()) {
            request.response().reset();
            return;
        }
        runtime.metrics().served("BYPASS", 0);
        request.response().setStatusCode(error.status())
                .putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Cache-Status", runtime.cacheName() + "; fwd=uri-miss; detail=" + (error.status() == 504 ? "timeout" : "connection"))
                .putHeader("X-Cache", "MISS")
                .end(error.getMessage() + "\n");
    }

    /** RFC 9111 5.2.1.7: nothing stored that may be used, and the client forbids asking the origin. */
    void gatewayTimeoutOnlyIfCached(HttpServerRequest request) {
        runtime.metrics().served("MISS", 0);
        request.response().setStatusCode(504).putHeader("Cache-Status", runtime.cacheName() + "; fwd=miss; detail=only-if-cached")
                .putHeader("X-Cache", "MISS").end();
    }

    /**
     * A request the HTTP decoder could not read (malformed request line, header section over the
     * limit, bad framing): 400 with the reason, and the connection closed — what follows on it
     * cannot be trusted to start where the decoder thinks it does.
     */
    static void invalid(HttpServerRequest request) {
        Throwable failure = request.decoderResult() != null ? request.decoderResult().cause() : null;
        String reason = failure == null ? "malformed request"
                : failure.getClass().getSimpleName().contains("TooLongHttpHeader") ? "request header fields too large"
                : failure.getClass().getSimpleName().contains("TooLongHttpLine") ? "request line too long"
                : "malformed request: " + failure.getMessage();
        request.response().setStatusCode(400).putHeader("Connection", "close")
                .putHeader("Content-Type", "text/plain; charset=utf-8").end(reason + "\n")
                .onComplete(done -> request.connection().close());
    }

    /** A request the edge refuses to interpret: 400 and the connection closed. */
    void reject(HttpServerRequest request, int status, String why) {
        request.response().setStatusCode(status).putHeader("Connection", "close")
                .putHeader("Content-Type", "text/plain; charset=utf-8").end(why + "\n")
                .onComplete(done -> request.connection().close());
    }
}
