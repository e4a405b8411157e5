package dev.meridian.cache.proxy;

import dev.meridian.cache.http.Header;
import dev.meridian.cache.http.HeaderList;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;

/** A request the cache does not keep: streamed to the origin and back, bodies never buffered whole. */
final class PassThrough {

    /** Called once the origin's status and headers are known (for invalidation after unsafe methods). */
    interface AfterResponse {
        /** The answer is relayed once the returned future completes (so a following read cannot see what it invalidates). */
        io.vertx.core.Future<?> accept(HttpServerRequest request, int status, HeaderList headers);
    }

    private final CacheRuntime runtime;
    private final OriginClient origin;
    private final EdgeResponses responses;

    PassThrough(CacheRuntime runtime, OriginClient origin, EdgeResponses responses) {
        this.runtime = runtime;
        this.origin = origin;
        this.responses = responses;
    }

    void run(HttpServerRequest request, String xCache, String cacheStatus, AfterResponse after) {
        request.pause();
        List<Header> headers = new ArrayList<>(HopByHop.from(request.headers()).lines());
        headers.add(new Header("X-Forwarded-For", request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress()));
        long started = System.nanoTime();
        origin.open(request.method(), request.uri(), new HeaderList(headers)).onComplete(opened -> {
            if (opened.failed()) {
                request.resume();
                responses.originError(request, OriginClient.unavailable(opened.cause()));
                return;
            }
            var outgoing = opened.result();
            outgoing.response().onComplete(answered -> {
                runtime.metrics().originLatency(System.nanoTime() - started, answered.succeeded());
                if (answered.failed()) {
                    responses.originError(request, OriginClient.unavailable(answered.cause()));
                    return;
                }
                var incoming = answered.result();
                HeaderList received = OriginClient.headersOf(incoming);
                if (after == null) {
                    relay(request, incoming, received, xCache, cacheStatus);
                    return;
                }
                incoming.pause();
                // pipeTo resumes it once the invalidation is through.
                after.accept(request, incoming.statusCode(), received).onComplete(done -> relay(request, incoming, received, xCache, cacheStatus));
            });
            if (request.isEnded()) {
                outgoing.end();
            } else {
                request.pipeTo(outgoing);
            }
        });
    }

    private void relay(HttpServerRequest request, io.vertx.core.http.HttpClientResponse incoming, HeaderList received,
                       String xCache, String cacheStatus) {
        HttpServerResponse response = request.response().setStatusCode(incoming.statusCode());
        received.lines().forEach(h -> response.headers().add(h.name(), h.value()));
        response.headers().set("X-Cache", xCache);
        response.headers().set("Cache-Status", runtime.cacheName() + "; " + cacheStatus);
        if (incoming.getHeader("Content-Length") == null) {
            response.setChunked(true);
        }
        runtime.metrics().served(xCache, 0);
        incoming.pipeTo(response);
    }
}
