package dev.meridian.cache.http;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * RFC 9111 for a shared cache: whether a response may be stored, how long it is fresh, how old it
 * is, and how far it may be served stale (RFC 5861). Targeted fields (RFC 9213, e.g.
 * {@code CDN-Cache-Control}) take precedence over Cache-Control when present and valid.
 */
public final class CachePolicy {

    /** Statuses cacheable by default, i.e. heuristically (RFC 9110 15.1). */
    static final Set<Integer> HEURISTIC = Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);
    /** Statuses whose caching semantics this cache implements (for must-understand). */
    static final Set<Integer> UNDERSTOOD = Set.of(200, 203, 204, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 501);

    /**
     * @param targetedFields     targeted cache-control fields, most specific first
     * @param storePrivate       store {@code private} responses anyway (only for single-user deployments)
     * @param storeSetCookie     store responses that set cookies
     * @param heuristicFraction  share of (Date − Last-Modified) a response without explicit freshness stays fresh
     * @param heuristicMax       ceiling of heuristic freshness
     * @param validationWindow   how long a stale response with a validator (ETag, Last-Modified) is kept
     *                           for conditional requests, which spare the origin resending the body
     */
    public record Settings(List<String> targetedFields, boolean storePrivate, boolean storeSetCookie,
                           double heuristicFraction, Duration heuristicMax, Duration validationWindow, List<RouteTtl> routes) {
        public static Settings defaults() {
            return new Settings(List.of("CDN-Cache-Control"), false, false, 0.1, Duration.ofDays(1), Duration.ofMinutes(10), List.of());
        }
    }

    /**
     * A per-route freshness rule (operator configuration): for paths matching {@code path},
     * freshness is {@code overrideMillis} when set (≥ 0), and at most {@code ceilingMillis} when set.
     */
    public record RouteTtl(java.util.regex.Pattern path, long overrideMillis, long ceilingMillis) {
        boolean overrides() {
            return overrideMillis >= 0;
        }
    }

    private RouteTtl routeOf(String key) {
        if (settings.routes().isEmpty() || key == null) {
            return null;
        }
        int end = key.length();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '?' || c == '|') {
                end = i;
                break;
            }
        }
        String path = key.substring(0, end);
        for (RouteTtl route : settings.routes()) {
            if (route.path().matcher(path).matches()) {
                return route;
            }
        }
        return null;
    }

    private final Settings settings;

    public CachePolicy(Settings settings) {
        this.settings = settings;
    }

    /** The directives caching obeys: the first targeted field present and valid, else Cache-Control. */
    /** The directives of a stored response, parsed once. */
    public Directives directives(StoredResponse entry) {
        return entry.directives(this::directives);
    }

    public Directives directives(HeaderList headers) {
        for (String field : settings.targetedFields()) {
            List<String> lines = headers.all(field);
            if (!lines.isEmpty()) {
                Directives targeted = Directives.parse(lines);
                if (!targeted.isEmpty()) {
                    return targeted;
                }
            }
        }
        return Directives.parse(headers.all("Cache-Control"));
    }

    /** Why the response may not be stored, or null when it may. */
    public String whyNotStorable(String method, HeaderList request, int status, HeaderList response) {
        return whyNotStorable(null, method, request, status, response);
    }

    /** As above, for the response to a request whose cache key is {@code key} (route rules apply). */
    public String whyNotStorable(String key, String method, HeaderList request, int status, HeaderList response) {
        if (!method.equals("GET")) {
            return "method";
        }
        Directives asked = Directives.parse(request.all("Cache-Control"));
        if (asked.has("no-store")) {
            return "request no-store";
        }
        Directives told = directives(response);
        boolean understood = UNDERSTOOD.contains(status);
        if (told.has("must-understand")) {
            if (!understood) {
                return "must-understand";
            }
        } else if (told.has("no-store")) {
            return "no-store";
        }
        if (!understood) {
            return status == 206 ? "partial content" : "status " + status;
        }
        if (told.has("private") && !settings.storePrivate()) {
            return "private";
        }
        if (request.has("Authorization") && !(told.has("public") || told.has("s-maxage") || told.has("must-revalidate"))) {
            return "authorization";
        }
        if (response.has("Set-Cookie") && !settings.storeSetCookie()) {
            return "set-cookie";
        }
        if (response.tokens("Vary").contains("*")) {
            return "vary *";
        }
        RouteTtl route = routeOf(key);
        boolean explicit = told.seconds("s-maxage").isPresent() || told.seconds("max-age").isPresent() || response.has("Expires")
                || route != null && route.overrides();
        if (!explicit && !told.has("public") && !HEURISTIC.contains(status)) {
            return "no freshness information";
        }
        if (!explicit && !told.has("public") && !told.has("no-cache") && !response.has("Last-Modified")) {
            // Cacheable by default but nothing to derive a lifetime from: it would be stale on arrival.
            return "no freshness information";
        }
        return null;
    }

    /** Freshness lifetime (RFC 9111 4.2.1), in milliseconds. */
    public long freshnessMillis(StoredResponse entry) {
        RouteTtl route = routeOf(entry.key());
        if (route == null) {
            return originFreshnessMillis(entry);
        }
        if (route.overrides()) {
            return route.overrideMillis();
        }
        long origin = originFreshnessMillis(entry);
        return route.ceilingMillis() >= 0 ? Math.min(origin, route.ceilingMillis()) : origin;
    }

    private long originFreshnessMillis(StoredResponse entry) {
        Directives told = directives(entry);
        var shared = told.seconds("s-maxage");
        if (shared.isPresent()) {
            return shared.getAsLong() * 1000;
        }
        var maxAge = told.seconds("max-age");
        if (maxAge.isPresent()) {
            return maxAge.getAsLong() * 1000;
        }
        long[] dates = entry.dates();
        long dateMillis = dates[0] != Long.MIN_VALUE ? dates[0] : entry.responseMillis();
        if (entry.headers().has("Expires")) {
            return dates[1] == Long.MIN_VALUE ? 0 : Math.max(0, dates[1] - dateMillis);
        }
        long lastModified = dates[2];
        if (lastModified != Long.MIN_VALUE && (HEURISTIC.contains(entry.status()) || told.has("public"))) {
            long heuristic = (long) ((dateMillis - lastModified) * settings.heuristicFraction());
            return Math.max(0, Math.min(heuristic, settings.heuristicMax().toMillis()));
        }
        return 0;
    }

    /** Current age (RFC 9111 4.2.3), in milliseconds. */
    public long ageMillis(StoredResponse entry, long nowMillis) {
        long[] dates = entry.dates();
        long apparentAge = dates[0] == Long.MIN_VALUE ? 0 : Math.max(0, entry.responseMillis() - dates[0]);
        long ageValue = Math.max(0, dates[3]);
        long responseDelay = Math.max(0, entry.responseMillis() - entry.requestMillis());
        long correctedInitialAge = Math.max(apparentAge, ageValue + responseDelay);
        return correctedInitialAge + Math.max(0, nowMillis - entry.responseMillis());
    }

    /** The stored response must be validated before every use (no-cache), or is soft-purged. */
    public boolean requiresValidation(StoredResponse entry) {
        return entry.invalidated() || directives(entry).has("no-cache");
    }

    /** Stale use is forbidden (must-revalidate, proxy-revalidate, s-maxage for a shared cache). */
    public boolean mustRevalidate(StoredResponse entry) {
        Directives told = directives(entry);
        return told.has("must-revalidate") || told.has("proxy-revalidate") || told.has("s-maxage");
    }

    public long staleWhileRevalidateMillis(StoredResponse entry) {
        return directives(entry).seconds("stale-while-revalidate").orElse(0) * 1000;
    }

    public long staleIfErrorMillis(StoredResponse entry, HeaderList request) {
        long told = directives(entry).seconds("stale-if-error").orElse(0);
        long asked = Directives.parse(request.all("Cache-Control")).seconds("stale-if-error").orElse(0);
        return Math.max(told, asked) * 1000;
    }

    /** How long after freshness ends the entry may still be of use (swr and sie windows). */
    public long retentionMillis(StoredResponse entry) {
        boolean validator = entry.headers().has("ETag") || entry.headers().has("Last-Modified");
        long keepStale = Math.max(staleWhileRevalidateMillis(entry), staleIfErrorMillis(entry, HeaderList.of()));
        return freshnessMillis(entry) + Math.max(keepStale, validator ? settings.validationWindow().toMillis() : 0);
    }

    /** How a stored response may be used for a request. */
    public enum Use {
        /** Fresh: serve it. */
        FRESH,
        /** Stale, but the request's max-stale accepts it: serve it. */
        STALE_ACCEPTED,
        /** Stale within stale-while-revalidate: serve it and revalidate in the background. */
        STALE_WHILE_REVALIDATE,
        /** Validate with the origin before use. */
        VALIDATE
    }

    /** RFC 9111 4.2 and 5.2.1 with RFC 5861: fresh, acceptably stale, or to be validated. */
    public Use use(StoredResponse entry, HeaderList request, long nowMillis) {
        Directives asked = Directives.parse(request.all("Cache-Control"));
        boolean pragmaNoCache = !request.has("Cache-Control") && request.tokens("Pragma").contains("no-cache");
        if (asked.has("no-cache") || pragmaNoCache) {
            return Use.VALIDATE;
        }
        long age = ageMillis(entry, nowMillis);
        long lifetime = entry.invalidated() ? Math.min(age, freshnessMillis(entry)) : freshnessMillis(entry);
        var maxAge = asked.seconds("max-age");
        long minFresh = asked.seconds("min-fresh").orElse(0) * 1000;
        boolean fresh = !entry.invalidated() && age + minFresh < lifetime
                && (maxAge.isEmpty() || age <= maxAge.getAsLong() * 1000);
        if (fresh && !requiresValidation(entry)) {
            return Use.FRESH;
        }
        boolean tooOldForTheClient = maxAge.isPresent() && age > maxAge.getAsLong() * 1000
                || minFresh > 0 && age + minFresh >= lifetime;
        if (tooOldForTheClient && !asked.has("max-stale")) {
            return Use.VALIDATE;
        }
        if (mustRevalidate(entry) || directives(entry).has("no-cache")) {
            return Use.VALIDATE;
        }
        long staleness = Math.max(0, age - lifetime);
        if (asked.has("max-stale") && !entry.invalidated()) {
            var limit = asked.seconds("max-stale");
            if (limit.isEmpty() && asked.value("max-stale").isEmpty() || limit.isPresent() && staleness <= limit.getAsLong() * 1000) {
                return Use.STALE_ACCEPTED;
            }
        }
        if (staleness <= staleWhileRevalidateMillis(entry) && staleWhileRevalidateMillis(entry) > 0) {
            return Use.STALE_WHILE_REVALIDATE;
        }
        return Use.VALIDATE;
    }

    public static Long httpDate(String value) {
        if (value == null) {
            return null;
        }
        Long fast = HttpDates.imfFixdate(value);
        if (fast != null) {
            return fast;
        }
        try {
            return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
