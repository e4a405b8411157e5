package dev.meridian.ratelimit.it;

import dev.meridian.ratelimit.RateLimitTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real nginx, configured from the shipped ops/nginx/meridian-ratelimit.conf, in front of the demo
 * origin (port 8100, started by ./meridian test), asking this ratelimit-svc through auth_request.
 */
@QuarkusTest
@QuarkusTestResource(RateLimitTestResource.class)
class NginxAuthRequestTest {

    private static final Path TEMPLATE = Path.of("..", "ops", "nginx", "meridian-ratelimit.conf");

    private final List<Process> nginxes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stopNginx() throws InterruptedException {
        for (Process nginx : nginxes) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void nginxLetsTheLimitThroughThenAnswers429WithTheHeaders() throws Exception {
        int port = startNginx("127.0.0.1:" + RestAssured.port);

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> ok = get(port);
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().contains("items"), "the origin's answer passes through");
            assertEquals("\"default\";q=3;w=3600", ok.headers().firstValue("RateLimit-Policy").orElse(null));
            assertTrue(ok.headers().firstValue("RateLimit").orElse("").startsWith("\"default\";r=" + (2 - i) + ";t="));
        }
        HttpResponse<String> limited = get(port);
        assertEquals(429, limited.statusCode());
        assertTrue(limited.headers().firstValue("Retry-After").isPresent());
        assertTrue(limited.headers().firstValue("RateLimit").orElse("").startsWith("\"default\";r=0;t="));
    }

    @Test
    void anUnreachableLimiterFailsOpen() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        int port = startNginx("127.0.0.1:" + deadPort);

        assertEquals(200, get(port).statusCode());
    }

    private HttpResponse<String> get(int port) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/content/popular"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int startNginx(String ratelimit) throws IOException, InterruptedException {
        Path prefix = Files.createTempDirectory("meridian-nginx");
        Files.createDirectories(prefix.resolve("tmp"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String conf = Files.readString(TEMPLATE)
                .replace("@PREFIX@", prefix.toString())
                .replace("@LISTEN@", "127.0.0.1:" + port)
                .replace("@RATELIMIT@", ratelimit)
                .replace("@ORIGIN@", "127.0.0.1:8100");
        Path confFile = prefix.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        Process nginx = new ProcessBuilder("/usr/sbin/nginx", "-p", prefix.toString(), "-c", confFile.toString(),
                "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(new File(prefix.resolve("stdout.log").toString())).start();
        nginxes.add(nginx);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!accepting(port)) {
            if (!nginx.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("nginx did not start: " + Files.readString(prefix.resolve("stdout.log"))
                        + (Files.exists(prefix.resolve("error.log")) ? Files.readString(prefix.resolve("error.log")) : ""));
            }
            Thread.sleep(50);
        }
        return port;
    }

    private static boolean accepting(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
