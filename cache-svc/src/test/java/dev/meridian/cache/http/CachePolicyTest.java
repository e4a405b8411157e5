package dev.meridian.cache.http;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static dev.meridian.cache.http.CachePolicy.Use.FRESH;
import static dev.meridian.cache.http.CachePolicy.Use.STALE_ACCEPTED;
import static dev.meridian.cache.http.CachePolicy.Use.STALE_WHILE_REVALIDATE;
import static dev.meridian.cache.http.CachePolicy.Use.VALIDATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CachePolicyTest {

    private static final long NOW = 1_800_000_000_000L;
    private final CachePolicy policy = new CachePolicy(CachePolicy.Settings.defaults());

    private static String date(long millis) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC));
    }

    private static StoredResponse stored(int status, HeaderList headers, long fetchedAt) {
        return new StoredResponse("k", status, headers, new byte[0], fetchedAt, fetchedAt, false, List.of(), List.of());
    }

    private String why(int status, HeaderList request, String... response) {
        return policy.whyNotStorable("GET", request, status, HeaderList.of(response));
    }

    @Test
    void storabilityFollowsTheSharedCacheRules() {
        HeaderList plain = HeaderList.of();
        assertNull(why(200, plain, "Cache-Control", "max-age=60"));
        assertEquals("no-store", why(200, plain, "Cache-Control", "no-store, max-age=60"));
        assertEquals("private", why(200, plain, "Cache-Control", "private, max-age=60"));
        assertEquals("set-cookie", why(200, plain, "Cache-Control", "max-age=60", "Set-Cookie", "a=b"));
        assertEquals("vary *", why(200, plain, "Cache-Control", "max-age=60", "Vary", "*"));
        assertEquals("request no-store", why(200, HeaderList.of("Cache-Control", "no-store"), "Cache-Control", "max-age=60"));
        assertEquals("authorization", why(200, HeaderList.of("Authorization", "Bearer x"), "Cache-Control", "max-age=60"));
        assertNull(why(200, HeaderList.of("Authorization", "Bearer x"), "Cache-Control", "public, max-age=60"));
        assertEquals("partial content", why(206, plain, "Cache-Control", "max-age=60"));
        assertEquals("no freshness information", why(302, plain));
        assertNull(why(302, plain, "Cache-Control", "max-age=60"));
        assertNull(why(404, plain, "Last-Modified", date(NOW - 100_000)), "heuristically cacheable");
        // must-understand overrides no-store for statuses the cache understands, and only for them
        assertNull(why(200, plain, "Cache-Control", "must-understand, no-store, max-age=60"));
        assertEquals("must-understand", why(299, plain, "Cache-Control", "must-understand, no-store, max-age=60"));
        assertEquals("no-store", policy.whyNotStorable("GET", plain, 200,
                HeaderList.of("Cache-Control", "max-age=60", "CDN-Cache-Control", "no-store")), "CDN-Cache-Control wins");
        assertEquals("method", policy.whyNotStorable("POST", plain, 200, HeaderList.of("Cache-Control", "max-age=60")));
    }

    @Test
    void freshnessPrefersSmaxageThenMaxAgeThenExpiresThenHeuristics() {
        long fetched = NOW;
        assertEquals(30_000, policy.freshnessMillis(stored(200, HeaderList.of("Cache-Control", "max-age=60, s-maxage=30"), fetched)));
        assertEquals(60_000, policy.freshnessMillis(stored(200, HeaderList.of("Cache-Control", "max-age=60",
                "Expires", date(NOW + 999_000)), fetched)));
        assertEquals(120_000, policy.freshnessMillis(stored(200, HeaderList.of("Date", date(NOW), "Expires", date(NOW + 120_000)), fetched)));
        assertEquals(0, policy.freshnessMillis(stored(200, HeaderList.of("Date", date(NOW), "Expires", "0"), fetched)), "invalid Expires = stale");
        assertEquals(10_000, policy.freshnessMillis(stored(200, HeaderList.of("Date", date(NOW), "Last-Modified", date(NOW - 100_000)), fetched)));
        assertEquals(5_000, policy.freshnessMillis(stored(200, HeaderList.of("Cache-Control", "max-age=60", "CDN-Cache-Control", "max-age=5"), fetched)));
        assertEquals(0, policy.freshnessMillis(stored(200, HeaderList.of("Cache-Control", "max-age=60, max-age=61, max-age=60"), fetched)),
                "duplicated directives are invalid: no max-age at all");
    }

    @Test
    void ageCountsTheOriginsAgeTheTripAndResidence() {
        // fetched with Age: 10 from upstream, 2 s on the way, Date 1 s behind our clock; now 5 s later
        StoredResponse entry = new StoredResponse("k", 200, HeaderList.of("Age", "10", "Date", date(NOW - 1_000)),
                new byte[0], NOW - 2_000, NOW, false, List.of(), List.of());
        assertEquals(12_000 + 5_000, policy.ageMillis(entry, NOW + 5_000));
    }

    @Test
    void requestDirectivesAndStaleWindowsDecideTheUse() {
        StoredResponse entry = stored(200, HeaderList.of("Cache-Control", "max-age=60, stale-while-revalidate=30"), NOW);
        assertEquals(FRESH, policy.use(entry, HeaderList.of(), NOW + 10_000));
        assertEquals(VALIDATE, policy.use(entry, HeaderList.of("Cache-Control", "max-age=5"), NOW + 10_000));
        assertEquals(VALIDATE, policy.use(entry, HeaderList.of("Cache-Control", "min-fresh=55"), NOW + 10_000));
        assertEquals(VALIDATE, policy.use(entry, HeaderList.of("Cache-Control", "no-cache"), NOW + 10_000));
        assertEquals(VALIDATE, policy.use(entry, HeaderList.of("Pragma", "no-cache"), NOW + 10_000));
        assertEquals(STALE_WHILE_REVALIDATE, policy.use(entry, HeaderList.of(), NOW + 80_000));
        assertEquals(VALIDATE, policy.use(entry, HeaderList.of(), NOW + 100_000));
        assertEquals(STALE_ACCEPTED, policy.use(entry, HeaderList.of("Cache-Control", "max-stale=50"), NOW + 100_000));
        assertEquals(STALE_ACCEPTED, policy.use(entry, HeaderList.of("Cache-Control", "max-stale"), NOW + 1_000_000));

        StoredResponse strict = stored(200, HeaderList.of("Cache-Control", "max-age=60, must-revalidate, stale-while-revalidate=30"), NOW);
        assertEquals(VALIDATE, policy.use(strict, HeaderList.of("Cache-Control", "max-stale"), NOW + 70_000));
        StoredResponse noCache = stored(200, HeaderList.of("Cache-Control", "no-cache, max-age=60"), NOW);
        assertEquals(VALIDATE, policy.use(noCache, HeaderList.of(), NOW + 1_000));
        assertEquals(STALE_WHILE_REVALIDATE, policy.use(entry.markInvalidated(), HeaderList.of(), NOW + 1_000), "soft purge: stale at once");
    }

    @Test
    void routeRulesOverrideOrCapFreshness() {
        CachePolicy routed = new CachePolicy(new CachePolicy.Settings(List.of("CDN-Cache-Control"), false, false, 0.1,
                java.time.Duration.ofDays(1), java.time.Duration.ofMinutes(10), List.of(
                        new CachePolicy.RouteTtl(java.util.regex.Pattern.compile("/static/.*"), 3_600_000, -1),
                        new CachePolicy.RouteTtl(java.util.regex.Pattern.compile("/api/.*"), -1, 5_000))));
        StoredResponse asset = new StoredResponse("/static/a.css|http://h", 200, HeaderList.of("Cache-Control", "max-age=60"),
                new byte[0], NOW, NOW, false, List.of(), List.of());
        StoredResponse api = new StoredResponse("/api/x?y=1|http://h", 200, HeaderList.of("Cache-Control", "max-age=60"),
                new byte[0], NOW, NOW, false, List.of(), List.of());
        assertEquals(3_600_000, routed.freshnessMillis(asset));
        assertEquals(5_000, routed.freshnessMillis(api));
        assertNull(routed.whyNotStorable("/static/b.css|http://h", "GET", HeaderList.of(), 200, HeaderList.of()));
        assertEquals("no-store", routed.whyNotStorable("/static/b.css|http://h", "GET", HeaderList.of(), 200,
                HeaderList.of("Cache-Control", "no-store")));
    }

    @Test
    void a304UpdatesStoredHeadersButNotTheBodyFraming() {
        HeaderList stored = HeaderList.of("ETag", "\"v1\"", "Cache-Control", "max-age=60", "Content-Length", "5");
        HeaderList updated = stored.updatedBy(HeaderList.of("Cache-Control", "max-age=120", "Content-Length", "0"));
        assertEquals("max-age=120", updated.first("Cache-Control"));
        assertEquals("5", updated.first("Content-Length"));
        assertEquals("\"v1\"", updated.first("ETag"));
    }
}
