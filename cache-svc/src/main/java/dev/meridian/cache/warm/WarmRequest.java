package dev.meridian.cache.warm;

import java.util.List;

/**
 * What to warm: paths or URLs (globs allowed), an optional sitemap or list (URL or file) to match
 * globs against, the Host to key entries under, and how many requests at a time.
 */
public record WarmRequest(List<String> urls, String sitemap, String host, Integer concurrency) {

    public WarmRequest {
        urls = urls == null ? List.of() : List.copyOf(urls);
    }
}
