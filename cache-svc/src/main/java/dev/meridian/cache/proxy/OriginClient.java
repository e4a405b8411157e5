package dev.meridian.cache.proxy;

import dev.meridian.cache.http.Header;
import dev.meridian.cache.http.HeaderList;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** HTTP/1.1 to the origin, with a pool per event loop and a deadline per request. */
final class OriginClient {

    private final HttpClient client;
    private final String host;
    private final int port;
    private final Duration timeout;

    OriginClient(Vertx vertx, String origin, Duration timeout, int poolSize) {
        URI uri = URI.create(origin);
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
        this.timeout = timeout;
        this.client = vertx.createHttpClient(new HttpClientOptions().setSsl("https".equals(uri.getScheme()))
                .setKeepAlive(true).setTcpNoDelay(true).setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(poolSize).setMaxWaitQueueSize(10_000));
    }

    /**
     * A GET whose body is buffered up to {@code maxBytes}; a larger one (by Content-Length, or once
     * it grows past the limit) comes back as a streaming response: the bytes so far plus the paused rest.
     */
    Future<OriginResponse> fetchUpTo(String uri, HeaderList headers, int maxBytes) {
        long sent = System.currentTimeMillis();
        return open(HttpMethod.GET, uri, headers).compose(request -> request.send()).compose(response -> {
            HeaderList received = headersOf(response);
            String length = response.getHeader("Content-Length");
            if (length != null && length.chars().allMatch(Character::isDigit) && !length.isEmpty() && Long.parseLong(length) > maxBytes) {
                response.pause();
                return Future.succeededFuture(new OriginResponse(response.statusCode(), received, new byte[0], sent,
                        System.currentTimeMillis(), response));
            }
            io.vertx.core.Promise<OriginResponse> result = io.vertx.core.Promise.promise();
            Buffer body = Buffer.buffer();
            response.handler(chunk -> {
                body.appendBuffer(chunk);
                if (body.length() > maxBytes && !result.future().isComplete()) {
                    response.pause();
                    response.handler(null);
                    response.endHandler(null);
                    result.tryComplete(new OriginResponse(response.statusCode(), received, body.getBytes(), sent,
                            System.currentTimeMillis(), response));
                }
            });
            response.endHandler(v -> result.tryComplete(new OriginResponse(response.statusCode(), received, body.getBytes(), sent,
                    System.currentTimeMillis())));
            response.exceptionHandler(result::tryFail);
            return result.future();
        }).recover(error -> Future.failedFuture(unavailable(error)));
    }

    /** A request whose body and response the caller streams (pass-through). */
    Future<io.vertx.core.http.HttpClientRequest> open(HttpMethod method, String uri, HeaderList headers) {
        MultiMap outgoing = MultiMap.caseInsensitiveMultiMap();
        for (Header header : headers.lines()) {
            outgoing.add(header.name(), header.value());
        }
        RequestOptions options = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(uri)
                .setHeaders(outgoing).setTimeout(timeout.toMillis());
        return client.request(options).recover(error -> Future.failedFuture(unavailable(error)));
    }

    static HeaderList headersOf(HttpClientResponse response) {
        return HopByHop.from(response.headers());
    }

    static OriginUnavailable unavailable(Throwable error) {
        if (error instanceof OriginUnavailable known) {
            return known;
        }
        boolean timedOut = error instanceof TimeoutException
                || error.getClass().getSimpleName().contains("Timeout")
                || String.valueOf(error.getMessage()).contains("timeout");
        if (timedOut) {
            return new OriginUnavailable(504, "origin timed out");
        }
        return new OriginUnavailable(502, error instanceof ConnectException ? "origin refused the connection" : "origin failed: " + error.getMessage());
    }

    void close() {
        client.close();
    }
}
