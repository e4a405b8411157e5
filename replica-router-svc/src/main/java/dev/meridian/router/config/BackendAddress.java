package dev.meridian.router.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * One backend from a {@code postgresql://user:password@host:port/database?weight=N} URL.
 *
 * @param name     how logs and metrics call it: {@code primary}, {@code replica-1}…
 * @param user     the prober's role (may be null: then the prober cannot run)
 * @param password the prober's password
 * @param weight   share of reads relative to the other eligible backends
 */
public record BackendAddress(String name, String host, int port, String database, String user, String password, int weight) {

    public static BackendAddress parse(String name, String url) {
        String text = url.strip();
        if (!text.startsWith("postgresql://") && !text.startsWith("postgres://")) {
            throw new IllegalArgumentException(name + ": not a postgresql:// URL: " + text);
        }
        URI uri = URI.create(text);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(name + ": no host in " + text);
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        int weight = 1;
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv[0].equals("weight") && kv.length == 2) {
                    weight = Integer.parseInt(kv[1]);
                    if (weight < 0) {
                        throw new IllegalArgumentException(name + ": weight must be >= 0");
                    }
                }
            }
        }
        return new BackendAddress(name, uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
                path.isEmpty() ? (user == null ? "postgres" : user) : path, user, password, weight);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    public String hostPort() {
        return host + ":" + port;
    }
}
