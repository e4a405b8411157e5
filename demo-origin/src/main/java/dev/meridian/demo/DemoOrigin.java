package dev.meridian.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The application that sits behind the suite in local runs and tests: a stand-in for the user's web
 * app with the caching behaviour real apps show (public JSON with validators, long-lived static
 * files tagged with surrogate keys, private per-user responses, an unsafe method that changes
 * content).
 *
 * <p>It is a single source file on purpose: {@code java DemoOrigin.java --port 8100} runs it without
 * a build, which is how {@code ./meridian} starts it before the reactor is compiled.
 */
public final class DemoOrigin {

    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Pattern STATIC_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    // IMF-fixdate (RFC 9110 section 5.6.7): two-digit day, always GMT.
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final ContentStore content = new ContentStore();
    private final Map<String, AtomicLong> hitsByRoute = new ConcurrentHashMap<>();
    private HttpServer server;

    public static void main(String[] args) throws IOException {
        int port = 8100;
        String host = "127.0.0.1";
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--port")) {
                port = Integer.parseInt(args[i + 1]);
            } else if (args[i].equals("--host")) {
                host = args[i + 1];
            }
        }
        DemoOrigin origin = new DemoOrigin();
        origin.start(new InetSocketAddress(host, port));
        System.out.println("demo-origin listening on " + host + ":" + origin.port());
    }

    public void start(InetSocketAddress address) throws IOException {
        server = HttpServer.create(address, 256);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response = route(exchange.getRequestMethod(), exchange.getRequestURI(),
                    exchange.getRequestHeaders().getFirst("If-None-Match"), readBody(exchange));
            response.headerList().forEach(h -> exchange.getResponseHeaders().add(h.getKey(), h.getValue()));
            exchange.getResponseHeaders().set("Date", HTTP_DATE.format(Instant.now()));
            byte[] body = exchange.getRequestMethod().equals("HEAD") ? new byte[0] : response.body();
            boolean bodyless = response.status() == 204 || response.status() == 304
                    || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(response.status(), bodyless ? -1 : body.length);
            if (!bodyless) {
                exchange.getResponseBody().write(body);
            }
        } catch (BodyTooLargeException e) {
            exchange.sendResponseHeaders(413, -1);
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new BodyTooLargeException();
            }
            return body;
        }
    }

    /** Pure routing: what the origin answers to one request; the HTTP server only writes it out. */
    Response route(String method, URI uri, String ifNoneMatch, byte[] requestBody) {
        String path = uri.getPath();
        count(method, path);
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (path.equals("/healthz") && read) {
            return Response.text(200, "ok\n").with("Cache-Control", "no-store");
        }
        if (path.equals("/api/v1/content/popular") && read) {
            return popular(ifNoneMatch);
        }
        if (path.startsWith("/api/v1/static/") && read) {
            return staticFile(path.substring("/api/v1/static/".length()), paddedSize(uri.getRawQuery()), ifNoneMatch);
        }
        if (path.equals("/api/v1/users/me") && read) {
            String session = UUID.randomUUID().toString();
            return Response.json(200, "{\"user\":\"demo\",\"session\":\"" + session + "\"}")
                    .with("Cache-Control", "private, no-cache")
                    .with("Set-Cookie", "session=" + session + "; Path=/; HttpOnly; SameSite=Lax");
        }
        if (path.equals("/api/v1/content") && method.equals("POST")) {
            return create(requestBody);
        }
        if (path.startsWith("/api/v1/content/") && read) {
            return item(path.substring("/api/v1/content/".length()));
        }
        if (path.equals("/__origin/hits") && read) {
            return Response.json(200, hitsJson()).with("Cache-Control", "no-store");
        }
        if (isKnownPath(path)) {
            return Response.text(405, "method not allowed\n").with("Allow", allowedFor(path));
        }
        return Response.text(404, "not found\n").with("Cache-Control", "public, max-age=10");
    }

    private Response popular(String ifNoneMatch) {
        ContentStore.Snapshot snapshot = content.snapshot();
        String etag = "\"" + snapshot.version() + "\"";
        if (etag.equals(ifNoneMatch)) {
            return Response.empty(304).with("ETag", etag).with("Cache-Control", "public, max-age=60");
        }
        return Response.json(200, snapshot.json())
                .with("Cache-Control", "public, max-age=60")
                .with("ETag", etag)
                .with("Last-Modified", HTTP_DATE.format(snapshot.modified()))
                .with("Surrogate-Key", "content content/popular");
    }

    private Response item(String rawId) {
        try {
            return content.title(Long.parseLong(rawId))
                    .map(title -> Response.json(200, "{\"id\":" + rawId + ",\"title\":\"" + ContentStore.escape(title) + "\"}")
                            .with("Cache-Control", "public, max-age=60"))
                    .orElseGet(() -> Response.text(404, "no such content\n"));
        } catch (NumberFormatException e) {
            return Response.text(404, "no such content\n");
        }
    }

    /** {@code ?size=N}: the asset padded to N bytes (benchmarks want a known body size), at most 64 KiB. */
    private static int paddedSize(String query) {
        if (query == null || !query.startsWith("size=")) {
            return 0;
        }
        try {
            return Math.min(MAX_BODY_BYTES, Math.max(0, Integer.parseInt(query.substring(5))));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Response staticFile(String name, int size, String ifNoneMatch) {
        if (!STATIC_NAME.matcher(name).matches()) {
            return Response.text(400, "bad static file name\n");
        }
        StringBuilder text = new StringBuilder("/* static asset " + name + " */\n");
        while (text.length() < size) {
            text.append(text.length() % 64 == 63 ? '\n' : '.');
        }
        String body = text.toString();
        String etag = "\"" + sha256(body).substring(0, 16) + "\"";
        if (etag.equals(ifNoneMatch)) {
            return Response.empty(304).with("ETag", etag).with("Cache-Control", "public, max-age=3600");
        }
        return new Response(200, body.getBytes(StandardCharsets.UTF_8), new ArrayList<>())
                .with("Content-Type", contentType(name))
                .with("Cache-Control", "public, max-age=3600")
                .with("ETag", etag)
                .with("Surrogate-Key", "static static/" + name);
    }

    private Response create(byte[] requestBody) {
        String title = new String(requestBody, StandardCharsets.UTF_8).strip();
        if (title.isEmpty()) {
            return Response.text(400, "request body must hold the content title\n");
        }
        long id = content.add(title);
        // Content-Location names the collection view this write changed, so a shared cache
        // invalidates it (RFC 9111 section 4.4).
        return Response.json(201, "{\"id\":" + id + "}")
                .with("Location", "/api/v1/content/" + id)
                .with("Content-Location", "/api/v1/content/popular")
                .with("Cache-Control", "no-store");
    }

    private void count(String method, String path) {
        String route = path.startsWith("/api/v1/static/") ? "/api/v1/static/*" : path;
        hitsByRoute.computeIfAbsent(method + " " + route, k -> new AtomicLong()).incrementAndGet();
    }

    private String hitsJson() {
        StringBuilder json = new StringBuilder("{");
        hitsByRoute.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(e.getKey()).append("\":").append(e.getValue().get());
        });
        return json.append('}').toString();
    }

    private static boolean isKnownPath(String path) {
        return path.equals("/healthz") || path.startsWith("/api/v1/content") || path.startsWith("/api/v1/static/")
                || path.equals("/api/v1/users/me");
    }

    private static String allowedFor(String path) {
        return path.equals("/api/v1/content") ? "POST" : "GET, HEAD";
    }

    private static String contentType(String name) {
        if (name.endsWith(".css")) {
            return "text/css";
        }
        if (name.endsWith(".js")) {
            return "text/javascript";
        }
        return "application/octet-stream";
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** One HTTP response before it is written: status, body and headers in order. */
    record Response(int status, byte[] body, List<Map.Entry<String, String>> headerList) {
        static Response text(int status, String text) {
            return new Response(status, text.getBytes(StandardCharsets.UTF_8), new ArrayList<>())
                    .with("Content-Type", "text/plain; charset=utf-8");
        }

        static Response json(int status, String json) {
            return new Response(status, json.getBytes(StandardCharsets.UTF_8), new ArrayList<>())
                    .with("Content-Type", "application/json");
        }

        static Response empty(int status) {
            return new Response(status, new byte[0], new ArrayList<>());
        }

        Response with(String name, String value) {
            headerList.add(Map.entry(name, value));
            return this;
        }

        String header(String name) {
            return headerList.stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }
    }

    /** The content list behind {@code /api/v1/content/popular}; its version changes with every write. */
    static final class ContentStore {
        record Snapshot(String json, String version, Instant modified) {
        }

        private final List<String> titles = new ArrayList<>(List.of("Getting started", "Scaling reads"));
        private Instant modified = Instant.parse("2026-01-01T00:00:00Z");

        synchronized long add(String title) {
            titles.add(title);
            modified = Instant.now();
            return titles.size();
        }

        synchronized java.util.Optional<String> title(long id) {
            return id >= 1 && id <= titles.size() ? java.util.Optional.of(titles.get((int) id - 1)) : java.util.Optional.empty();
        }

        synchronized Snapshot snapshot() {
            StringBuilder json = new StringBuilder("{\"items\":[");
            for (int i = 0; i < titles.size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                json.append("{\"id\":").append(i + 1).append(",\"title\":\"").append(escape(titles.get(i))).append("\"}");
            }
            String body = json.append("]}").toString();
            return new Snapshot(body, sha256(body).substring(0, 16), modified);
        }

        static String escape(String text) {
            StringBuilder out = new StringBuilder();
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.toString();
        }
    }

    static final class BodyTooLargeException extends RuntimeException {
        BodyTooLargeException() {
            super("request body over " + MAX_BODY_BYTES + " bytes", null, false, false);
        }
    }
}
