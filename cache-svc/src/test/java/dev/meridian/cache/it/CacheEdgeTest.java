package dev.meridian.cache.it;

import dev.meridian.platform.flags.Flag;
import dev.meridian.platform.flags.RuntimeFlags;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge on port 18080 in front of a scripted origin, one RFC rule per test, spoken to with the
 * JDK's HTTP client and, for what clients should never send, a raw socket.
 */
@QuarkusTest
@QuarkusTestResource(ScriptedOrigin.class)
class CacheEdgeTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    RuntimeFlags flags;

    /** A URL of this run: {@code /t/<run>/<name>?<params>} (params as name, value pairs). */
    private static String url(String name, String... params) {
        StringBuilder url = new StringBuilder("/t/" + RUN + "/" + name);
        for (int i = 0; i + 1 < params.length; i += 2) {
            url.append(i == 0 ? '?' : '&').append(params[i]).append('=').append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        return url.toString();
    }

    private static HttpResponse<String> get(String url, String... headers) throws Exception {
        return send("GET", url, null, headers);
    }

    private static HttpResponse<String> send(String method, String url, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:18080" + url)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int hits(String name) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ScriptedOrigin.PORT + "/__hits?path=/t/" + RUN + "/" + name)).build();
        return Integer.parseInt(CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    private static void mode(String name, String mode) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ScriptedOrigin.PORT + "/__mode?path=/t/" + RUN + "/" + name
                + "&mode=" + mode)).POST(HttpRequest.BodyPublishers.noBody()).build();
        CLIENT.send(request, HttpResponse.BodyHandlers.discarding());
    }

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("");
    }

    private static String cacheStatus(HttpResponse<?> response) {
        return response.headers().firstValue("Cache-Status").orElse("");
    }

    @Test
    void aCacheableResponseIsStoredAndServedWithAgeAndCacheStatus() throws Exception {
        String url = url("basic", "h", "Cache-Control: max-age=60");
        HttpResponse<String> first = get(url);
        assertEquals("MISS", xCache(first));
        assertTrue(cacheStatus(first).startsWith("meridian; fwd=uri-miss; fwd-status=200; stored"), cacheStatus(first));
        HttpResponse<String> second = get(url);
        assertEquals("HIT", xCache(second));
        assertEquals("body of /t/" + RUN + "/basic", second.body());
        assertTrue(cacheStatus(second).matches("meridian; hit; ttl=\\d+"), cacheStatus(second));
        assertTrue(second.headers().firstValue("Age").isPresent());
        assertEquals(1, hits("basic"));
        HttpResponse<String> head = send("HEAD", url, null);
        assertEquals("HIT", xCache(head));
        assertEquals(String.valueOf(("body of /t/" + RUN + "/basic").length()), head.headers().firstValue("Content-Length").orElse(""));
    }

    @Test
    void noStorePrivateAndSetCookieResponsesAreNeverStored() throws Exception {
        for (String[] script : List.of(new String[] {"nostore", "Cache-Control: no-store, max-age=60"},
                new String[] {"private", "Cache-Control: private, max-age=60"},
                new String[] {"cookie", "Cache-Control: max-age=60"})) {
            String url = script[0].equals("cookie") ? url(script[0], "h", script[1], "h", "Set-Cookie: s=1") : url(script[0], "h", script[1]);
            assertEquals("BYPASS", xCache(get(url)));
            assertEquals("BYPASS", xCache(get(url)));
            assertEquals(2, hits(script[0]), script[0]);
        }
    }

    @Test
    void varyKeepsVariantsApartAndVaryStarIsNeverServedFromCache() throws Exception {
        String url = url("vary", "h", "Cache-Control: max-age=60", "h", "Vary: Accept-Language", "echo", "Accept-Language");
        assertTrue(get(url, "Accept-Language", "en").body().endsWith("Accept-Language=en"));
        assertTrue(get(url, "Accept-Language", "fr").body().endsWith("Accept-Language=fr"));
        HttpResponse<String> english = get(url, "Accept-Language", "EN");
        assertEquals("HIT", xCache(english), "normalised: case does not split variants");
        assertTrue(english.body().endsWith("Accept-Language=en"));
        assertTrue(get(url, "Accept-Language", "fr").body().endsWith("Accept-Language=fr"));
        assertEquals(2, hits("vary"));

        String star = url("varystar", "h", "Cache-Control: max-age=60", "h", "Vary: *");
        get(star);
        assertEquals("BYPASS", xCache(get(star)));
        assertEquals(2, hits("varystar"));
    }

    @Test
    void aStaleEntryIsValidatedAndA304UpdatesIt() throws Exception {
        String url = url("validate", "h", "Cache-Control: max-age=0", "h", "ETag: \"v1\"");
        assertEquals("MISS", xCache(get(url)));
        HttpResponse<String> validated = get(url);
        assertEquals("HIT", xCache(validated));
        assertTrue(cacheStatus(validated).contains("fwd=stale; fwd-status=304"), cacheStatus(validated));
        assertEquals("body of /t/" + RUN + "/validate", validated.body());
        assertEquals("yes", validated.headers().firstValue("X-Validated").orElse(""), "the 304's headers update the stored ones");
        assertEquals(2, hits("validate"));
    }

    @Test
    void clientConditionalsAreAnsweredFromTheCache() throws Exception {
        String url = url("conditional", "h", "Cache-Control: max-age=60", "h", "ETag: \"abc\"", "h", "Last-Modified: Thu, 01 Jan 2026 00:00:00 GMT");
        get(url);
        assertEquals(304, get(url, "If-None-Match", "W/\"abc\"").statusCode());
        assertEquals(200, get(url, "If-None-Match", "\"other\"").statusCode());
        assertEquals(304, get(url, "If-Modified-Since", "Fri, 02 Jan 2026 00:00:00 GMT").statusCode());
        assertEquals(1, hits("conditional"));
    }

    @Test
    void requestDirectivesAreHonoured() throws Exception {
        String url = url("request", "h", "Cache-Control: max-age=60", "h", "ETag: \"r\"");
        get(url);
        assertEquals("HIT", xCache(get(url, "Cache-Control", "no-cache")), "validated, then served");
        assertEquals(2, hits("request"));
        get(url, "Cache-Control", "max-age=0");
        assertEquals(3, hits("request"));
        assertEquals(504, get(url("never-fetched"), "Cache-Control", "only-if-cached").statusCode());
        assertEquals(0, hits("never-fetched"));
        assertEquals("BYPASS", xCache(get(url, "Cache-Control", "no-store")));
    }

    @Test
    void staleWhileRevalidateServesAtOnceAndRefreshesBehind() throws Exception {
        // Fresh for 3 s: the refreshed copy must stay fresh until the polling below sees it, or a slow
        // machine turns it stale again and a second refresh is counted (seen once in CI with 1 s).
        String url = url("swr", "h", "Cache-Control: max-age=3, stale-while-revalidate=60");
        get(url);
        Thread.sleep(3_200);
        HttpResponse<String> stale = get(url);
        assertEquals("STALE", xCache(stale));
        await().atMost(Duration.ofSeconds(5)).until(() -> xCache(get(url)).equals("HIT"));
        assertEquals(2, hits("swr"), "one refresh behind the stale answers");
    }

    @Test
    void staleIfErrorCoversAnOriginThatFailsOrVanishes() throws Exception {
        String url = url("sie", "h", "Cache-Control: max-age=1, stale-if-error=60");
        get(url);
        Thread.sleep(1_200);
        mode("sie", "error");
        assertEquals("STALE", xCache(get(url)));
        mode("sie", "down");
        HttpResponse<String> stale = get(url);
        assertEquals("STALE", xCache(stale));
        assertEquals(200, stale.statusCode());
        mode("sie", "ok");

        String strict = url("down", "h", "Cache-Control: max-age=60");
        mode("down", "down");
        assertEquals(502, get(strict).statusCode());
        assertEquals(504, get(url("slow", "d", "2000", "h", "Cache-Control: max-age=60")).statusCode());
    }

    @Test
    void concurrentMissesMakeOneOriginRequest() throws Exception {
        concurrently(20, url("coalesce", "h", "Cache-Control: max-age=60", "d", "400"));
        assertEquals(1, hits("coalesce"));
    }

    @Test
    void privateAnswersAreNotSharedWithCoalescedWaiters() throws Exception {
        concurrently(5, url("private-coalesce", "h", "Cache-Control: private", "d", "300"));
        assertEquals(5, hits("private-coalesce"), "each client got its own private answer");
    }

    /** {@code clients} GETs of one URL at once; each must succeed. */
    private static void concurrently(int clients, String url) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            all.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18080" + url)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (var response : all) {
            assertEquals(200, response.get().statusCode());
        }
    }

    @Test
    void concurrentMissesForDifferentVariantsEachGetTheirOwn() throws Exception {
        String url = url("vary-coalesce", "h", "Cache-Control: max-age=60", "h", "Vary: Accept-Language", "echo", "Accept-Language", "d", "300");
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (String language : List.of("en", "fr", "de", "en")) {
            all.add(CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18080" + url)).header("Accept-Language", language).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<String> languages = List.of("en", "fr", "de", "en");
        for (int i = 0; i < all.size(); i++) {
            assertTrue(all.get(i).get().body().endsWith("Accept-Language=" + languages.get(i)), all.get(i).get().body());
        }
    }

    @Test
    void aRequestWithCredentialsNeverSharesAnotherRequestsFlight() throws Exception {
        String url = url("auth-coalesce", "h", "Cache-Control: max-age=60", "echo", "Authorization", "d", "300");
        var withToken = CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18080" + url)).header("Authorization", "Bearer secret").build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(50);
        var anonymous = CLIENT.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18080" + url)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(withToken.get().body().endsWith("Authorization=Bearer secret"));
        assertTrue(anonymous.get().body().endsWith("Authorization=null"), "never the other client's authorized answer");
    }

    @Test
    void unsafeMethodsInvalidateTheTargetAndItsLocations() throws Exception {
        String url = url("unsafe", "h", "Cache-Control: max-age=60");
        String other = url("unsafe-other", "h", "Cache-Control: max-age=60");
        get(url);
        get(other);
        assertEquals("HIT", xCache(get(other)));
        String post = url("unsafe", "s", "201", "h", "Content-Location: " + other);
        assertEquals(201, send("POST", post, "x").statusCode());
        assertEquals("HIT", xCache(get(url)), "a POST to another query string leaves this one");
        assertEquals("MISS", xCache(get(other)), "Content-Location on the same host is invalidated");
        send("DELETE", url, null);
        assertEquals("MISS", xCache(get(url)));
    }

    @Test
    void cdnCacheControlTakesPrecedence() throws Exception {
        String url = url("cdn", "h", "Cache-Control: no-store", "h", "CDN-Cache-Control: max-age=60");
        get(url);
        assertEquals("HIT", xCache(get(url)));
    }

    @Test
    void authorizedRequestsAreOnlySharedWhenTheResponseSaysSo() throws Exception {
        String plain = url("auth", "h", "Cache-Control: max-age=60");
        get(plain, "Authorization", "Bearer a");
        get(plain, "Authorization", "Bearer b");
        assertEquals(2, hits("auth"));
        String shared = url("auth-public", "h", "Cache-Control: public, max-age=60");
        get(shared, "Authorization", "Bearer a");
        assertEquals("HIT", xCache(get(shared, "Authorization", "Bearer b")));
    }

    @Test
    void unkeyedHeadersNeverReachTheOriginOnCacheableRequests() throws Exception {
        String url = url("poison", "h", "Cache-Control: max-age=60", "echo", "X-Forwarded-Host");
        HttpResponse<String> first = get(url, "X-Forwarded-Host", "evil.example");
        assertTrue(first.body().endsWith("X-Forwarded-Host=null"), first.body());
        assertTrue(get(url).body().endsWith("X-Forwarded-Host=null"));
    }

    @Test
    void rangeRequestsGoToTheOriginAndAreNotStored() throws Exception {
        String url = url("range", "h", "Cache-Control: max-age=60");
        HttpResponse<String> partial = get(url, "Range", "bytes=0-3");
        assertEquals(206, partial.statusCode());
        assertEquals("BYPASS", xCache(partial));
        HttpResponse<String> whole = get(url);
        assertEquals(200, whole.statusCode());
        assertFalse(whole.body().contains("range="));
    }

    @Test
    void bodiesOverTheSizeLimitPassUncached() throws Exception {
        String url = url("big", "size", "100000", "h", "Cache-Control: max-age=60");
        HttpResponse<String> first = get(url);
        assertEquals(100_000, first.body().length());
        assertEquals("BYPASS", xCache(first));
        assertTrue(cacheStatus(first).contains("detail=too-large"), cacheStatus(first));
        assertEquals(100_000, get(url).body().length());
        assertEquals(2, hits("big"));
        String chunked = url("big-chunked", "size", "300000", "chunked", "1", "h", "Cache-Control: max-age=60");
        HttpResponse<String> streamed = get(chunked);
        assertEquals(300_000, streamed.body().length(), "the bytes read before the limit, then the rest");
        assertEquals("BYPASS", xCache(streamed));
        assertEquals(300_000, get(chunked).body().length());
        assertEquals(2, hits("big-chunked"));
    }

    @Test
    void heuristicFreshnessAndMustUnderstand() throws Exception {
        String heuristic = url("heuristic", "h", "Last-Modified: Thu, 01 Jan 2026 00:00:00 GMT");
        get(heuristic);
        assertEquals("HIT", xCache(get(heuristic)));
        String understood = url("must-understand", "h", "Cache-Control: must-understand, no-store, max-age=60");
        get(understood);
        assertEquals("HIT", xCache(get(understood)));
    }

    @Test
    void purgesByUrlPrefixAndTagHardAndSoft() throws Exception {
        String a = url("purge/a", "h", "Cache-Control: max-age=60", "h", "Surrogate-Key: team-a-" + RUN + " shared");
        String b = url("purge/b", "h", "Cache-Control: max-age=60, stale-while-revalidate=60", "h", "Cache-Tag: team-b-" + RUN);
        get(a);
        get(b);
        purge("{\"tags\":[\"team-a-" + RUN + "\"]}").body("purged", equalTo(1));
        assertEquals("MISS", xCache(get(a)));
        purge("{\"tags\":[\"team-b-" + RUN + "\"],\"soft\":true}");
        assertEquals("STALE", xCache(get(b)), "soft: kept, served stale while revalidating");
        purge("{\"prefixes\":[\"/t/" + RUN + "/purge/\"]}");
        assertEquals("MISS", xCache(get(a)));
        purge("{\"urls\":[\"http://127.0.0.1:18080" + a + "\"]}");
        assertEquals("MISS", xCache(get(a)));
        RestAssured.given().contentType("application/json").body("{}").post("/admin/purge").then().statusCode(400);
        RestAssured.given().contentType("application/json").body("{\"prefixes\":[\"no-slash\"]}").post("/admin/purge").then().statusCode(400);
    }

    private static io.restassured.response.ValidatableResponse purge(String json) {
        return RestAssured.given().contentType("application/json").body(json).post("/admin/purge").then().statusCode(200);
    }

    @Test
    void withTheFlagOffTheEdgeIsAPlainProxy() throws Exception {
        String url = url("flag", "h", "Cache-Control: max-age=60");
        get(url);
        flags.set(Flag.EDGE_CACHE, false, "cache-test").await().atMost(Duration.ofSeconds(5));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> !flags.isEnabled(Flag.EDGE_CACHE));
            assertEquals("BYPASS", xCache(get(url)));
            assertEquals(2, hits("flag"));
        } finally {
            flags.set(Flag.EDGE_CACHE, true, "cache-test").await().atMost(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(5)).until(() -> flags.isEnabled(Flag.EDGE_CACHE));
        }
        assertEquals("HIT", xCache(get(url)));
    }

    @Test
    void smugglingAndMalformedRequestsGet400AndAClosedConnection() throws Exception {
        String smuggle = "POST " + url("smuggle") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
        assertTrue(raw(smuggle).startsWith("HTTP/1.1 400"));
        assertTrue(raw("GARBAGE\r\n\r\n").matches("(?s)HTTP/1\\.[01] 400.*"), "no version to answer in: HTTP/1.0");
        String bloat = "GET " + url("bloat") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bloat: " + "a".repeat(20_000) + "\r\n\r\n";
        String answer = raw(bloat);
        assertTrue(answer.startsWith("HTTP/1.1 400") && answer.contains("request header fields too large"), answer);
        assertEquals(0, hits("smuggle"));
    }

    /** Sends bytes, reads until the server closes (failing if it does not within the timeout). */
    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", 18080)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void warmingFillsTheCacheFromAListOrASitemapAndReportsEachUrl() throws Exception {
        java.nio.file.Path sitemap = java.nio.file.Files.createTempFile("sitemap", ".xml");
        StringBuilder xml = new StringBuilder("<urlset>");
        for (String page : List.of("a", "b", "c")) {
            xml.append("<url><loc>http://127.0.0.1:18080/t/").append(RUN).append("/warm/").append(page)
                    .append("?h=Cache-Control%3A%20max-age%3D60</loc></url>");
        }
        java.nio.file.Files.writeString(sitemap, xml.append("</urlset>").toString());
        String body = "{\"urls\":[\"/t/" + RUN + "/warm/*\", \"" + url("warm-literal", "h", "Cache-Control: max-age=60")
                + "\"], \"sitemap\":\"" + sitemap + "\", \"host\":\"127.0.0.1:18080\", \"concurrency\": 2}";
        String id = RestAssured.given().contentType("application/json").body(body).post("/admin/warm")
                .then().statusCode(202).body("total", equalTo(4)).extract().path("id");
        await().atMost(Duration.ofSeconds(10)).until(() -> RestAssured.get("/admin/warm/" + id).path("complete"));
        RestAssured.get("/admin/warm/" + id).then().body("done", equalTo(4)).body("failed", equalTo(0))
                .body("results.cache", org.hamcrest.Matchers.everyItem(equalTo("MISS")));
        assertEquals("HIT", xCache(get("/t/" + RUN + "/warm/b?h=Cache-Control%3A%20max-age%3D60")));
        assertEquals("HIT", xCache(get(url("warm-literal", "h", "Cache-Control: max-age=60"))));
        RestAssured.given().contentType("application/json").body("{\"urls\":[\"/x/*\"]}").post("/admin/warm").then().statusCode(400);
        RestAssured.get("/admin/warm/nope").then().statusCode(404);
    }

    @Test
    void purgesAreAlsoServedOverGrpc() throws Exception {
        String url = url("grpc-purge", "h", "Cache-Control: max-age=60");
        get(url);
        io.grpc.ManagedChannel channel = io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", RestAssured.port).usePlaintext().build();
        try {
            var stub = dev.meridian.contracts.cache.v1.CacheGrpc.newBlockingStub(channel);
            var reply = stub.purge(dev.meridian.contracts.cache.v1.PurgeRequest.newBuilder().addPrefixes("/t/" + RUN + "/grpc-purge").build());
            assertEquals(1, reply.getPurged());
            io.grpc.StatusRuntimeException bad = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
                    () -> stub.purge(dev.meridian.contracts.cache.v1.PurgeRequest.getDefaultInstance()));
            assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
        } finally {
            channel.shutdownNow();
        }
        assertEquals("MISS", xCache(get(url)));
    }

    @Test
    void routeRulesOverrideOrCapTheOriginsFreshness() throws Exception {
        String overridden = url("ttl-override/page");
        get(overridden);
        HttpResponse<String> hit = get(overridden);
        assertEquals("HIT", xCache(hit), "no freshness from the origin, an hour from the rule");
        String capped = url("ttl-ceiling/page", "h", "Cache-Control: max-age=3600");
        get(capped);
        Thread.sleep(1_200);
        assertEquals("MISS", xCache(get(capped)), "an hour from the origin, one second from the rule");
        String stillPrivate = url("ttl-override/private", "h", "Cache-Control: private");
        get(stillPrivate);
        assertEquals("BYPASS", xCache(get(stillPrivate)), "rules never make private answers shared");
    }

    @Test
    void aPurgeInMeridianPurgesTheCdnsToo() throws Exception {
        // when
        purge("{\"urls\":[\"/t/" + RUN + "/cdn-page\"],\"prefixes\":[\"/t/" + RUN + "/cdn/\"],\"tags\":[\"cdn-" + RUN + "\"]}")
                .body("cdn.cloudflare", equalTo("ok: 3 requests")).body("cdn.cloudfront", equalTo("ok: 2 paths"));

        // then: Cloudflare got the token and absolute URLs, host-prefixed prefixes and tags
        String calls = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ScriptedOrigin.PORT + "/__cdn")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(calls.contains("POST /client/v4/zones/zone123/purge_cache"), calls);
        assertTrue(calls.contains("authorization: Bearer test-token"), calls);
        assertTrue(calls.contains("{\"files\":[\"https://app.example.test/t/" + RUN + "/cdn-page\"]}"), calls);
        assertTrue(calls.contains("{\"prefixes\":[\"app.example.test/t/" + RUN + "/cdn/\"]}"), calls);
        assertTrue(calls.contains("{\"tags\":[\"cdn-" + RUN + "\"]}"), calls);
        // and CloudFront a SigV4-signed invalidation of the path and the prefix
        assertTrue(calls.contains("POST /2020-05-31/distribution/EDFDVBD6EXAMPLE/invalidation"), calls);
        assertTrue(calls.matches("(?s).*authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/us-east-1/cloudfront/aws4_request, "
                + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}.*"), calls);
        assertTrue(calls.contains("<Quantity>2</Quantity><Items><Path>/t/" + RUN + "/cdn-page</Path><Path>/t/" + RUN + "/cdn/*</Path>"), calls);
    }

    @Test
    void healthReportsTiersAndHitRatios() {
        RestAssured.get("/health/cache").then().statusCode(200).body("l2.state", equalTo("up")).body("enabled", equalTo(true))
                .body("l2.databaseKeys", org.hamcrest.Matchers.greaterThan(0)).body("l1.entries", org.hamcrest.Matchers.greaterThanOrEqualTo(0))
                .body("hitRatio", org.hamcrest.Matchers.hasKey("5m"));
    }
}
