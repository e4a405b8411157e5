package dev.meridian.cache.it;

import com.sun.net.httpserver.HttpServer;
import dev.meridian.platform.redis.RedisServerProcess;
import dev.meridian.platform.testing.ServiceJar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two packaged cache-svc instances sharing a Redis of their own: an entry filled through A is a
 * hit through B; a purge through A reaches B's L1 through the invalidation stream; with Redis
 * gone both keep serving (L1, then the origin).
 */
class TwoInstancesIT {

    static {
        // Both instances sit behind one public name in production: the test sends that Host to each.
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static RedisServerProcess redis;
    private static HttpServer origin;
    private static int originPort;
    private static ServiceJar a;
    private static ServiceJar b;
    private static int edgeA;
    private static int edgeB;

    @BeforeAll
    static void start() throws Exception {
        redis = new RedisServerProcess().start();
        originPort = ServiceJar.freePort();
        origin = ScriptedOrigin.start(originPort);
        edgeA = ServiceJar.freePort();
        edgeB = ServiceJar.freePort();
        a = ServiceJar.start("cache-a", environment(edgeA));
        b = ServiceJar.start("cache-b", environment(edgeB));
    }

    private static Map<String, String> environment(int edgePort) {
        return Map.of("CACHE_EDGE_PORT", Integer.toString(edgePort), "CACHE_ORIGIN", "http://127.0.0.1:" + originPort,
                "CACHE_REDIS_URL", redis.uri(), "REDIS_URL", redis.uri(), "CACHE_EVENT_LOOPS", "1");
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceJar instance : new ServiceJar[] {a, b}) {
            if (instance != null) {
                instance.close();
            }
        }
        if (origin != null) {
            origin.stop(0);
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static String xCache(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Host", "app.test")
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.headers().firstValue("X-Cache").orElse("");
    }

    @Test
    void fillThroughAHitThroughBPurgeThroughAMissThroughB() throws Exception {
        String path = "/t/" + RUN + "/shared?h=" + java.net.URLEncoder.encode("Cache-Control: max-age=300", "UTF-8");
        assertEquals("MISS", xCache(edgeA, path));
        assertEquals("HIT", xCache(edgeB, path), "B finds A's entry in Redis");
        assertEquals("HIT", xCache(edgeB, path), "and now in its own L1");

        HttpRequest purge = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.httpPort() + "/admin/purge"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"prefixes\":[\"/t/" + RUN + "/\"]}")).build();
        assertEquals(200, CLIENT.send(purge, HttpResponse.BodyHandlers.ofString()).statusCode());
        await().atMost(Duration.ofSeconds(1)).until(() -> xCache(edgeB, path).equals("MISS"));
    }

    @Test
    void withRedisGoneBothInstancesKeepServing() throws Exception {
        String path = "/t/" + RUN + "/redis-down?h=" + java.net.URLEncoder.encode("Cache-Control: max-age=300", "UTF-8");
        xCache(edgeA, path);
        redis.stop();
        try {
            assertEquals("HIT", xCache(edgeA, path), "A's L1 still has it");
            String fresh = "/t/" + RUN + "/redis-down-new?h=" + java.net.URLEncoder.encode("Cache-Control: max-age=300", "UTF-8");
            assertEquals("MISS", xCache(edgeB, fresh));
            assertEquals("HIT", xCache(edgeB, fresh), "L1 alone still caches");
        } finally {
            redis.start();
        }
    }
}
