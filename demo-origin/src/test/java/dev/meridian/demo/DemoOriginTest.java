package dev.meridian.demo;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoOriginTest {

    private final DemoOrigin origin = new DemoOrigin();

    private DemoOrigin.Response get(String path, String ifNoneMatch) {
        return origin.route("GET", URI.create(path), ifNoneMatch, new byte[0]);
    }

    @Test
    void popularContentIsPubliclyCacheableWithAValidator() {
        DemoOrigin.Response response = get("/api/v1/content/popular", null);

        assertEquals(200, response.status());
        assertEquals("public, max-age=60", response.header("Cache-Control"));
        assertNotNull(response.header("ETag"));
        assertTrue(new String(response.body(), StandardCharsets.UTF_8).contains("Getting started"));
    }

    @Test
    void matchingEtagGetsNotModified() {
        String etag = get("/api/v1/content/popular", null).header("ETag");

        DemoOrigin.Response response = get("/api/v1/content/popular", etag);

        assertEquals(304, response.status());
        assertEquals(0, response.body().length);
    }

    @Test
    void postChangesPopularContentAndItsEtag() {
        String before = get("/api/v1/content/popular", null).header("ETag");

        DemoOrigin.Response created = origin.route("POST", URI.create("/api/v1/content"), null,
                "Edge caching".getBytes(StandardCharsets.UTF_8));

        assertEquals(201, created.status());
        assertEquals("/api/v1/content/popular", created.header("Content-Location"));
        assertNotEquals(before, get("/api/v1/content/popular", null).header("ETag"));
        assertEquals(200, get(created.header("Location"), null).status());
    }

    @Test
    void staticFilesCarrySurrogateKeys() {
        DemoOrigin.Response response = get("/api/v1/static/app.css", null);

        assertEquals("public, max-age=3600", response.header("Cache-Control"));
        assertEquals("static static/app.css", response.header("Surrogate-Key"));
        assertEquals("text/css", response.header("Content-Type"));
    }

    @Test
    void userResponsesArePrivateAndSetACookie() {
        DemoOrigin.Response response = get("/api/v1/users/me", null);

        assertTrue(response.header("Cache-Control").startsWith("private"));
        assertTrue(response.header("Set-Cookie").startsWith("session="));
    }

    @Test
    void badInputGetsClientErrors() {
        assertEquals(400, get("/api/v1/static/..%2fetc", null).status());
        assertEquals(400, origin.route("POST", URI.create("/api/v1/content"), null, new byte[0]).status());
        assertEquals(405, origin.route("DELETE", URI.create("/api/v1/content/popular"), null, new byte[0]).status());
        assertEquals(404, get("/nope", null).status());
        assertEquals(404, get("/api/v1/content/999", null).status());
    }
}
