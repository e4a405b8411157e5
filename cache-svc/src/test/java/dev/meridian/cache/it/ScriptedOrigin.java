package dev.meridian.cache.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin whose answers are scripted by the request's own query string, so every test uses
 * URLs of its own: {@code s} status, {@code h} a header line (repeatable), {@code b} body,
 * {@code size} a generated body of that many bytes, {@code d} delay in ms, {@code echo} a request
 * header to put in the body. An ETag in {@code h} makes a matching If-None-Match get 304.
 * {@code POST /__mode?path=…&mode=down|error|ok} breaks one path; {@code GET /__hits?path=…} counts.
 */
public final class ScriptedOrigin implements QuarkusTestResourceLifecycleManager {

    public static final int PORT = 18181;

    private static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();
    private static final Map<String, String> MODES = new ConcurrentHashMap<>();
    /** What the CDN stand-ins received: "method path\nheaders…\n\nbody", newest last. */
    private static final List<String> CDN_CALLS = java.util.Collections.synchronizedList(new ArrayList<>());
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = start(PORT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("meridian.cache.origin", "http://127.0.0.1:" + PORT);
    }

    public static HttpServer start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", ScriptedOrigin::handle);
        server.start();
        return server;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
            if (path.equals("/__mode")) {
                MODES.put(query.get("path").get(0), query.get("mode").get(0));
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            if (path.startsWith("/client/v4/zones/") || path.startsWith("/2020-05-31/distribution/")) {
                // Stand-ins for Cloudflare's and CloudFront's purge APIs.
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                StringBuilder call = new StringBuilder(exchange.getRequestMethod() + " " + path + "\n");
                exchange.getRequestHeaders().forEach((name, values) -> call.append(name.toLowerCase()).append(": ")
                        .append(String.join(",", values)).append('\n'));
                CDN_CALLS.add(call.append('\n').append(body).toString());
                boolean cloudflare = path.startsWith("/client/");
                byte[] answer = (cloudflare ? "{\"success\":true,\"errors\":[],\"result\":{\"id\":\"x\"}}"
                        : "<Invalidation><Id>I1</Id><Status>InProgress</Status></Invalidation>").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(cloudflare ? 200 : 201, answer.length);
                exchange.getResponseBody().write(answer);
                return;
            }
            if (path.equals("/__cdn")) {
                byte[] calls = String.join("\n=====\n", CDN_CALLS).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, calls.length);
                exchange.getResponseBody().write(calls);
                return;
            }
            if (path.equals("/__hits")) {
                byte[] count = String.valueOf(HITS.getOrDefault(query.get("path").get(0), new AtomicInteger()).get()).getBytes();
                exchange.sendResponseHeaders(200, count.length);
                exchange.getResponseBody().write(count);
                return;
            }
            HITS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            String mode = MODES.getOrDefault(path, "ok");
            if (mode.equals("down")) {
                // No answer at all: the connection just ends.
                return;
            }
            first(query, "d").ifPresent(delay -> sleep(Long.parseLong(delay)));
            int status = mode.equals("error") ? 500 : Integer.parseInt(first(query, "s").orElse("200"));
            String etag = null;
            for (String line : query.getOrDefault("h", List.of())) {
                int colon = line.indexOf(':');
                String name = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                exchange.getResponseHeaders().add(name, value);
                if (name.equalsIgnoreCase("ETag")) {
                    etag = value;
                }
            }
            String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
            if (status == 200 && etag != null && etag.equals(ifNoneMatch)) {
                exchange.getResponseHeaders().set("X-Validated", "yes");
                exchange.sendResponseHeaders(304, -1);
                return;
            }
            byte[] body;
            if (query.containsKey("size")) {
                body = new byte[Integer.parseInt(query.get("size").get(0))];
                java.util.Arrays.fill(body, (byte) 'x');
            } else {
                String text = first(query, "b").orElse("body of " + path);
                String echoed = first(query, "echo").map(name -> " " + name + "=" + exchange.getRequestHeaders().getFirst(name)).orElse("");
                String range = exchange.getRequestHeaders().getFirst("Range");
                body = (text + echoed + (range != null ? " range=" + range : "")).getBytes(StandardCharsets.UTF_8);
                if (range != null) {
                    status = 206;
                    exchange.getResponseHeaders().add("Content-Range", "bytes 0-" + (body.length - 1) + "/" + body.length);
                }
            }
            exchange.getResponseHeaders().add("X-Origin-Hit", String.valueOf(HITS.get(path).get()));
            boolean head = exchange.getRequestMethod().equals("HEAD");
            long length = query.containsKey("chunked") ? 0 : body.length;
            exchange.sendResponseHeaders(status, head || status == 204 || status == 304 ? -1 : length);
            if (!head && status != 204 && status != 304) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    private static java.util.Optional<String> first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(values.get(0));
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> query = new ConcurrentHashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return query;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
