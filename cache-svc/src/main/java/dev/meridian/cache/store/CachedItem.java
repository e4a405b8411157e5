package dev.meridian.cache.store;

import dev.meridian.cache.http.StoredResponse;

import java.util.List;

/** What a key holds: a response, or (at a primary key) the names the responses vary on. */
public sealed interface CachedItem {

    record Response(StoredResponse response) implements CachedItem {
    }

    /** The primary key of a URL whose responses vary on these request headers (lower case). */
    record Variants(List<String> names) implements CachedItem {
    }
}
