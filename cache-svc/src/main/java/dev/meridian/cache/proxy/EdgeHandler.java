package dev.meridian.cache.proxy;

import dev.meridian.cache.http.CachePolicy;
import dev.meridian.cache.http.Directives;
import dev.meridian.cache.http.Header;
import dev.meridian.cache.http.HeaderList;
import dev.meridian.cache.http.StoredResponse;
import dev.meridian.cache.store.CacheKeys;
import dev.meridian.cache.store.CachedItem;
import dev.meridian.cache.store.Purge;
import dev.meridian.platform.flags.Flag;
import io.quarkus.logging.Log;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One request at the edge: key, lookup (L1, then L2), RFC 9111 decision, origin on miss or for
 * validation (coalesced), store when allowed, answer with Age, Cache-Status and X-Cache. Unsafe
 * methods pass through and invalidate what they may have changed.
 */
final class EdgeHandler implements Handler<HttpServerRequest> {

    private final CacheRuntime runtime;
    private final OriginClient origin;
    private final EdgeResponses responses;
    private final PassThrough passThrough;

    EdgeHandler(CacheRuntime runtime, OriginClient origin) {
        this.runtime = runtime;
        this.origin = origin;
        this.responses = new EdgeResponses(runtime);
        this.passThrough = new PassThrough(runtime, origin, responses);
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (request.headers().contains("Content-Length") && request.headers().contains("Transfer-Encoding")) {
            // Request smuggling: two framings, and the next hop might pick the other one.
            responses.reject(request, 400, "Content-Length and Transfer-Encoding together");
            return;
        }
        if (request.headers().getAll("Content-Length").size() > 1 || request.headers().getAll("Host").size() > 1) {
            responses.reject(request, 400, "duplicated framing or Host field");
            return;
        }
        HttpMethod method = request.method();
        boolean cacheable = method == HttpMethod.GET || method == HttpMethod.HEAD;
        if (!runtime.flags().isEnabled(Flag.EDGE_CACHE)) {
            passThrough.run(request, "BYPASS", "fwd=bypass", null);
            return;
        }
        if (!cacheable) {
            passThrough.run(request, "BYPASS", "fwd=method", this::invalidateAfterUnsafe);
            return;
        }
        HeaderList asked = HopByHop.from(request.headers());
        Directives directives = Directives.parse(asked.all("Cache-Control"));
        if (asked.has("Range") || directives.has("no-store")) {
            // Ranges are answered by the origin, so a stored representation can never yield the wrong bytes.
            passThrough.run(request, "BYPASS", "fwd=request", null);
            return;
        }
        String authority = request.authority() != null ? request.authority().toString() : request.host();
        String primary = CacheKeys.primary(request.scheme() == null ? "http" : request.scheme(), authority == null ? "" : authority,
                request.path(), request.query(), runtime.config().rules().sortQuery());
        request.pause();
        lookup(primary, asked).onComplete(found -> {
            request.resume();
            StoredResponse entry = found.succeeded() ? found.result() : null;
            serve(request, asked, directives, primary, entry);
        });
    }

    /** The stored response for this request: the entry at the primary key, or the variant its Vary headers select. */
    private Future<StoredResponse> lookup(String primary, HeaderList asked) {
        return runtime.store().get(primary, this::remainingMillis).compose(item -> {
            if (item instanceof CachedItem.Variants variants) {
                String variant = CacheKeys.variant(primary, varyValues(variants.names(), asked));
                return runtime.store().get(variant, this::remainingMillis).map(EdgeHandler::response);
            }
            return Future.succeededFuture(response(item));
        });
    }

    private static StoredResponse response(CachedItem item) {
        return item instanceof CachedItem.Response r ? r.response() : null;
    }

    /** How much longer an item from L2 is of use here (a Vary marker: as long as a typical entry). */
    private long remainingMillis(CachedItem item) {
        if (item instanceof CachedItem.Response r) {
            StoredResponse entry = r.response();
            return runtime.policy().retentionMillis(entry) - runtime.policy().ageMillis(entry, System.currentTimeMillis());
        }
        return 60_000;
    }

    private void serve(HttpServerRequest request, HeaderList asked, Directives directives, String primary, StoredResponse entry) {
        boolean onlyIfCached = directives.has("only-if-cached");
        if (entry != null && asked.has("Authorization") && !sharedWithAuthorization(entry)) {
            entry = null;
        }
        if (entry == null) {
            if (onlyIfCached) {
                responses.gatewayTimeoutOnlyIfCached(request);
                return;
            }
            fetchAndServe(request, asked, primary, null, asked.has("Authorization"));
            return;
        }
        CachePolicy.Use use = runtime.policy().use(entry, asked, System.currentTimeMillis());
        switch (use) {
            case FRESH -> responses.fromCache(request, entry, "HIT", null);
            case STALE_ACCEPTED -> responses.fromCache(request, entry, "STALE", "detail=max-stale");
            case STALE_WHILE_REVALIDATE -> {
                responses.fromCache(request, entry, "STALE", "detail=revalidating");
                revalidateInBackground(asked, primary, entry, request);
            }
            case VALIDATE -> {
                if (onlyIfCached) {
                    responses.gatewayTimeoutOnlyIfCached(request);
                } else {
                    fetchAndServe(request, asked, primary, entry, asked.has("Authorization"));
                }
            }
        }
    }

    private boolean sharedWithAuthorization(StoredResponse entry) {
        Directives told = runtime.policy().directives(entry.headers());
        return told.has("public") || told.has("s-maxage") || told.has("must-revalidate");
    }

    /**
     * Miss or validation: one origin request per key, its answer stored when allowed and shared when
     * stored. {@code alone}: no coalescing (requests with credentials never share a flight).
     */
    private void fetchAndServe(HttpServerRequest request, HeaderList asked, String primary, StoredResponse stale, boolean alone) {
        boolean[] led = {true};
        Future<OriginResponse> answer;
        if (alone) {
            answer = originGet(request, asked, stale);
        } else {
            String flightKey = (stale == null ? "miss:" : "validate:") + (stale == null ? primary : stale.key());
            answer = runtime.coalescer().fetch(flightKey, () -> originGet(request, asked, stale), led);
            if (!led[0]) {
                runtime.metrics().coalesced();
            }
        }
        answer.onComplete(done -> {
            if (done.failed()) {
                onOriginFailure(request, asked, stale, done.cause());
                return;
            }
            OriginResponse response = done.result();
            if (response.streaming()) {
                if (led[0]) {
                    responses.streamed(request, response);
                } else {
                    // A streamed body can be read once: a waiter asks for its own.
                    fetchAndServe(request, asked, primary, stale, true);
                }
                return;
            }
            if (!led[0] && (!shareable(response, asked) || !response.headers().tokens("Vary").isEmpty())) {
                // Someone else's uncacheable answer (private, Set-Cookie…) is never handed to this client,
                // nor a Vary'd one, which may be the variant of the other request's headers.
                fetchAndServe(request, asked, primary, stale, true);
                return;
            }
            if (stale != null && response.status() == 304) {
                StoredResponse updated = stale.revalidated(response.headers(), response.requestMillis(), response.responseMillis());
                if (led[0]) {
                    store(primary, updated, asked);
                }
                responses.fromCache(request, updated, "HIT", "fwd=stale; fwd-status=304");
                return;
            }
            if (stale != null && response.status() >= 500 && withinStaleIfError(stale, asked)) {
                responses.fromCache(request, stale, "STALE", "fwd=stale; fwd-status=" + response.status() + "; detail=stale-if-error");
                return;
            }
            String why = runtime.policy().whyNotStorable(primary, "GET", asked, response.status(), response.headers());
            boolean tooBig = response.body().length > runtime.config().storage().maxObjectBytes();
            StoredResponse fresh = toStored(primary, response, asked);
            boolean stored = why == null && !tooBig && led[0];
            if (stored) {
                store(primary, fresh, asked);
            } else if (why != null) {
                Log.debugf("not stored key=%s why=%s", primary, why);
            }
            String forward = (stale == null ? "fwd=uri-miss" : "fwd=stale") + "; fwd-status=" + response.status() + (why == null && !tooBig ? "; stored" : "");
            responses.fromOrigin(request, fresh, why == null && !tooBig ? "MISS" : "BYPASS", forward);
        });
    }

    private boolean shareable(OriginResponse response, HeaderList asked) {
        return response.status() == 304
                || runtime.policy().whyNotStorable(null, "GET", asked, response.status(), response.headers()) == null;
    }

    private Future<OriginResponse> originGet(HttpServerRequest request, HeaderList asked, StoredResponse stale) {
        List<Header> headers = new ArrayList<>();
        for (Header header : asked.lines()) {
            String name = header.name().toLowerCase();
            // The cache answers the client's own conditionals; what it asks the origin is its own business.
            if (!HopByHop.UNKEYED.contains(name) && !name.equals("if-none-match") && !name.equals("if-modified-since")
                    && !name.equals("if-match") && !name.equals("if-unmodified-since") && !name.equals("range")) {
                headers.add(header);
            }
        }
        if (stale != null) {
            String etag = stale.headers().first("ETag");
            String lastModified = stale.headers().first("Last-Modified");
            if (etag != null) {
                headers.add(new Header("If-None-Match", etag));
            } else if (lastModified != null) {
                headers.add(new Header("If-Modified-Since", lastModified));
            }
        }
        headers.add(new Header("X-Forwarded-For", request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress()));
        long started = System.nanoTime();
        return origin.fetchUpTo(request.uri(), new HeaderList(headers), runtime.config().storage().maxObjectBytes())
                .onComplete(done -> runtime.metrics().originLatency(System.nanoTime() - started, done.succeeded()));
    }

    private void onOriginFailure(HttpServerRequest request, HeaderList asked, StoredResponse stale, Throwable cause) {
        OriginUnavailable unavailable = OriginClient.unavailable(cause);
        runtime.originFailed();
        if (stale != null && withinStaleIfError(stale, asked)) {
            responses.fromCache(request, stale, "STALE", "fwd=stale; fwd-status=" + unavailable.status() + "; detail=stale-if-error");
            return;
        }
        responses.originError(request, unavailable);
    }

    private boolean withinStaleIfError(StoredResponse stale, HeaderList asked) {
        if (runtime.policy().mustRevalidate(stale)) {
            return false;
        }
        long now = System.currentTimeMillis();
        long staleness = runtime.policy().ageMillis(stale, now) - runtime.policy().freshnessMillis(stale);
        return staleness <= runtime.policy().staleIfErrorMillis(stale, asked);
    }

    private void revalidateInBackground(HeaderList asked, String primary, StoredResponse stale, HttpServerRequest request) {
        boolean[] led = new boolean[1];
        runtime.coalescer().fetch("validate:" + stale.key(), () -> originGet(request, asked, stale), led).onSuccess(response -> {
            if (response.streaming()) {
                if (led[0]) {
                    response.rest().request().reset();
                }
                return;
            }
            if (!led[0]) {
                return;
            }
            if (response.status() == 304) {
                store(primary, stale.revalidated(response.headers(), response.requestMillis(), response.responseMillis()), asked);
            } else if (response.status() < 500
                    && runtime.policy().whyNotStorable(primary, "GET", asked, response.status(), response.headers()) == null
                    && response.body().length <= runtime.config().storage().maxObjectBytes()) {
                store(primary, toStored(primary, response, asked), asked);
            }
        });
    }

    private StoredResponse toStored(String primary, OriginResponse response, HeaderList asked) {
        List<String> names = response.headers().tokens("Vary");
        List<String> values = varyValues(names, asked);
        String key = names.isEmpty() ? primary : CacheKeys.variant(primary, values);
        return new StoredResponse(key, response.status(), response.headers(), response.body(), response.requestMillis(),
                response.responseMillis(), false, names, values);
    }

    private void store(String primary, StoredResponse entry, HeaderList asked) {
        long ttl = runtime.policy().retentionMillis(entry) - runtime.policy().ageMillis(entry, System.currentTimeMillis());
        if (ttl <= 0) {
            return;
        }
        if (!entry.varyNames().isEmpty()) {
            runtime.store().put(primary, new CachedItem.Variants(entry.varyNames()), ttl, List.of());
        }
        runtime.store().put(entry.key(), new CachedItem.Response(entry), ttl, entry.tags());
    }

    private static List<String> varyValues(List<String> names, HeaderList asked) {
        List<String> values = new ArrayList<>(names.size());
        for (String name : names) {
            values.add(CacheKeys.normaliseVaryValue(asked.all(name)));
        }
        return values;
    }

    /**
     * RFC 9111 4.4: after a non-error response to an unsafe method, the target URI and the
     * Location and Content-Location URIs on the same host are invalidated.
     */
    private Future<?> invalidateAfterUnsafe(HttpServerRequest request, int status, HeaderList headers) {
        if (status >= 400 || request.method() == HttpMethod.OPTIONS || request.method() == HttpMethod.TRACE) {
            return Future.succeededFuture();
        }
        String host = request.authority() != null ? request.authority().toString() : request.host();
        String base = (request.scheme() == null ? "http" : request.scheme()) + "://" + host;
        List<String> urls = new ArrayList<>();
        urls.add(base + request.uri());
        for (String field : List.of("Location", "Content-Location")) {
            String value = headers.first(field);
            if (value == null) {
                continue;
            }
            try {
                URI resolved = URI.create(base + request.path()).resolve(value);
                if (host != null && host.equalsIgnoreCase(resolved.getRawAuthority())) {
                    urls.add(resolved.toString());
                }
            } catch (IllegalArgumentException e) {
                Log.debugf("unusable %s: %s", field, value);
            }
        }
        return runtime.store().purge(new Purge(urls, null, null, false)).otherwise(0);
    }
}
