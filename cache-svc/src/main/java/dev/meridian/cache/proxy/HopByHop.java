package dev.meridian.cache.proxy;

import dev.meridian.cache.http.Header;
import dev.meridian.cache.http.HeaderList;
import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Header hygiene at the proxy's edges: hop-by-hop fields (RFC 9110 7.6.1) and unkeyed request fields. */
final class HopByHop {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    /**
     * Request fields that could change the origin's answer without being part of the cache key
     * (the classic cache-poisoning vectors): never forwarded on cacheable requests.
     */
    static final Set<String> UNKEYED = Set.of("x-forwarded-host", "x-forwarded-server", "x-forwarded-scheme",
            "x-forwarded-proto", "x-forwarded-port", "x-forwarded-prefix", "x-original-url", "x-rewrite-url", "x-host",
            "x-http-method-override", "x-http-method", "x-method-override", "forwarded");

    private HopByHop() {
    }

    static HeaderList from(MultiMap headers) {
        Set<String> listed = Set.of();
        List<String> connection = headers.getAll("Connection");
        if (!connection.isEmpty()) {
            listed = new HashSet<>();
            for (String line : connection) {
                for (String token : line.split(",")) {
                    listed.add(token.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        List<Header> lines = new ArrayList<>(headers.size());
        for (var entry : headers) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !listed.contains(name)) {
                lines.add(new Header(entry.getKey(), entry.getValue()));
            }
        }
        return new HeaderList(lines);
    }
}
