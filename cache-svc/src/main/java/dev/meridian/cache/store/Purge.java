package dev.meridian.cache.store;

import java.util.List;

/**
 * What to purge: URLs (absolute, or a path on every host), path prefixes, surrogate keys; hard
 * (gone) or soft (kept, but stale: served only while revalidating or on error).
 */
public record Purge(List<String> urls, List<String> prefixes, List<String> tags, boolean soft) {

    public Purge {
        urls = urls == null ? List.of() : List.copyOf(urls);
        prefixes = prefixes == null ? List.of() : List.copyOf(prefixes);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public boolean isEmpty() {
        return urls.isEmpty() && prefixes.isEmpty() && tags.isEmpty();
    }
}
