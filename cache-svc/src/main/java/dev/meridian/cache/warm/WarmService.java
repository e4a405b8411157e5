package dev.meridian.cache.warm;

import dev.meridian.cache.config.CacheConfig;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Validates warming requests, expands globs against sitemaps, and runs the jobs. Blocking: call off the event loop. */
@ApplicationScoped
public class WarmService {

    /** A request that cannot be warmed as asked. */
    public static final class BadWarmRequest extends RuntimeException {
        public BadWarmRequest(String message) {
            super(message);
        }
    }

    @Inject
    Vertx vertx;

    @Inject
    CacheConfig config;

    private volatile Warmer warmer;

    public WarmJob start(WarmRequest request) {
        if (request.urls().isEmpty()) {
            throw new BadWarmRequest("give at least one URL or glob in urls");
        }
        List<String> known = request.sitemap() == null || request.sitemap().isBlank() ? List.of() : UrlPatterns.known(read(request.sitemap()));
        boolean globs = request.urls().stream().map(UrlPatterns::pathOf).anyMatch(UrlPatterns::isGlob);
        if (globs && known.isEmpty()) {
            throw new BadWarmRequest("globs need a sitemap (or list) with URLs to match against");
        }
        for (String url : request.urls()) {
            if (!UrlPatterns.pathOf(url).startsWith("/")) {
                throw new BadWarmRequest("not a path or absolute URL: " + url);
            }
        }
        List<String> paths = UrlPatterns.expand(request.urls(), known);
        String host = request.host() == null || request.host().isBlank() ? URI.create(config.origin()).getRawAuthority() : request.host();
        int concurrency = request.concurrency() == null ? 8 : request.concurrency();
        if (concurrency < 1 || concurrency > 64) {
            throw new BadWarmRequest("concurrency must be 1..64");
        }
        return warmer().start(paths, host, concurrency);
    }

    public WarmJob job(String id) {
        return warmer().job(id);
    }

    private Warmer warmer() {
        Warmer current = warmer;
        if (current == null) {
            synchronized (this) {
                if (warmer == null) {
                    warmer = new Warmer(vertx, config.edge().port());
                }
                current = warmer;
            }
        }
        return current;
    }

    private static String read(String source) {
        try {
            if (source.startsWith("http://") || source.startsWith("https://")) {
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(source))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new BadWarmRequest("sitemap " + source + " answered " + response.statusCode());
                }
                return response.body();
            }
            return Files.readString(Path.of(source));
        } catch (IOException e) {
            throw new BadWarmRequest("cannot read sitemap " + source + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadWarmRequest("interrupted reading " + source);
        }
    }
}
