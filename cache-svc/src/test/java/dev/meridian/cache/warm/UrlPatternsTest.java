package dev.meridian.cache.warm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UrlPatternsTest {

    private static final String SITEMAP = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc>https://app.example.com/</loc></url>
              <url><loc>https://app.example.com/docs/a</loc></url>
              <url><loc>https://app.example.com/docs/b</loc></url>
              <url><loc>https://app.example.com/docs/deep/c?x=1&amp;y=2</loc></url>
              <url><loc>https://app.example.com/blog/1</loc></url>
            </urlset>
            """;

    @Test
    void sitemapsAndPlainListsGiveKnownUrls() {
        assertEquals(5, UrlPatterns.known(SITEMAP).size());
        assertEquals("https://app.example.com/docs/deep/c?x=1&y=2", UrlPatterns.known(SITEMAP).get(3));
        assertEquals(List.of("/a", "/b"), UrlPatterns.known("# comment\n/a\n\n/b\n"));
    }

    @Test
    void globsMatchWithinOrAcrossSegmentsAndLiteralsPassAsGiven() {
        List<String> known = UrlPatterns.known(SITEMAP);
        assertEquals(List.of("/docs/a", "/docs/b"), UrlPatterns.expand(List.of("/docs/*"), known));
        assertEquals(List.of("/docs/a", "/docs/b", "/docs/deep/c?x=1&y=2"), UrlPatterns.expand(List.of("/docs/**"), known));
        assertEquals(List.of("/blog/1", "/static/app.css?v=2"), UrlPatterns.expand(List.of("/blog/?", "/static/app.css?v=2"), known));
        assertEquals(List.of("/docs/a"), UrlPatterns.expand(List.of("https://app.example.com/docs/a", "/docs/a"), known), "once each");
    }
}
