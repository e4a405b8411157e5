package dev.meridian.cache.store;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * Cache keys: {@code <path>[?<query>]|<scheme>://<authority>} for the primary key, plus
 * {@code #<values>} for a variant. The path comes first so that purging a path prefix is a prefix
 * match in L1 and a SCAN pattern in Redis.
 */
public final class CacheKeys {

    private CacheKeys() {
    }

    public static String primary(String scheme, String authority, String path, String query, boolean sortQuery) {
        String normalisedQuery = query;
        if (query != null && sortQuery) {
            String[] parts = query.split("&");
            Arrays.sort(parts);
            normalisedQuery = String.join("&", parts);
        }
        return (path.isEmpty() ? "/" : path) + (normalisedQuery == null || normalisedQuery.isEmpty() ? "" : "?" + normalisedQuery)
                + "|" + scheme.toLowerCase() + "://" + authority.toLowerCase();
    }

    /** The variant of a primary key for the request's values of the Vary'd headers (normalised). */
    public static String variant(String primary, List<String> values) {
        return primary + "#" + Integer.toHexString(String.join("\n", values).hashCode()) + ":" + values.size();
    }

    /** Lower-cased, whitespace collapsed, list items sorted: equivalent requests share a variant. */
    public static String normaliseVaryValue(List<String> lines) {
        if (lines.isEmpty()) {
            return "";
        }
        String[] items = String.join(",", lines).toLowerCase().split(",");
        for (int i = 0; i < items.length; i++) {
            items[i] = items[i].strip().replaceAll("\\s+", " ");
        }
        Arrays.sort(items);
        return String.join(",", items);
    }

    /**
     * The key prefix a purge target names: an absolute URL names one primary key (and its
     * variants); a path names that path on every host.
     */
    public static String purgeTarget(String url) {
        if (url.startsWith("http://") || url.startsWith("https://")) {
            URI uri = URI.create(url);
            return primary(uri.getScheme(), uri.getRawAuthority(), uri.getRawPath() == null ? "/" : uri.getRawPath(), uri.getRawQuery(), false);
        }
        return url + "|";
    }

    /** Whether a key (or one of its variants) belongs to a purge target from {@link #purgeTarget}. */
    public static boolean matchesTarget(String key, String target) {
        if (target.endsWith("|")) {
            return key.startsWith(target);
        }
        return key.equals(target) || key.startsWith(target + "#");
    }
}
