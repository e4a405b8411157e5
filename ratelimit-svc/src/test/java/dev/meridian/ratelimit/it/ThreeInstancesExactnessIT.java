package dev.meridian.ratelimit.it;

import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Three ratelimit-svc processes (the packaged jar) sharing the Redis of ./meridian test, and 64
 * concurrent clients hammering one key through all three: exactly the limit is admitted.
 */
class ThreeInstancesExactnessIT {

    private static final int LIMIT = 100;
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final List<Process> INSTANCES = new ArrayList<>();
    private static final List<Integer> PORTS = new ArrayList<>();

    @BeforeAll
    static void startThreeInstances() throws Exception {
        Path config = Files.createTempDirectory("meridian-ratelimit-it");
        Files.writeString(config.resolve("exact.yaml"), """
                domain: exact
                descriptors:
                  - key: user
                    rate_limit: {unit: week, requests_per_unit: %d}
                """.formatted(LIMIT));
        for (int i = 0; i < 3; i++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            ProcessBuilder builder = new ProcessBuilder(javaBin(), "-Xmx256m", "-jar", JAR.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(new File(config.resolve("instance-" + i + ".log").toString()));
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            builder.environment().put("RATELIMIT_CONFIG_DIR", config.toString());
            builder.environment().put("RATELIMIT_REDIS_URL", "redis://127.0.0.1:16379");
            builder.environment().put("RATELIMIT_INSTANCES", "3");
            builder.environment().put("MERIDIAN_RATELIMIT_STORE_KEY_PREFIX", "meridian-it:rl:");
            builder.environment().put("MERIDIAN_PLATFORM_FLAGS_HASH_KEY", "meridian-it:flags");
            builder.environment().put("MERIDIAN_PLATFORM_FLAGS_CONTROL_STREAM", "meridian-it:control");
            INSTANCES.add(builder.start());
            PORTS.add(port);
        }
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (int port : PORTS) {
            while (!ready(http, port)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ratelimit-svc on " + port + " did not become ready; logs in " + config);
                }
                Thread.sleep(200);
            }
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Process instance : INSTANCES) {
            instance.destroy();
        }
        for (Process instance : INSTANCES) {
            if (!instance.waitFor(15, TimeUnit.SECONDS)) {
                instance.destroyForcibly();
            }
        }
    }

    @Test
    void sixtyFourClientsOverThreeInstancesAdmitExactlyTheLimit() throws Exception {
        String user = UUID.randomUUID().toString();
        List<ManagedChannel> channels = new ArrayList<>();
        for (int port : PORTS) {
            channels.add(ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
        }
        RateLimitRequest request = RateLimitRequest.newBuilder().setDomain("exact")
                .addDescriptors(RateLimitDescriptor.newBuilder()
                        .addEntries(RateLimitDescriptor.Entry.newBuilder().setKey("user").setValue(user)))
                .build();
        ExecutorService clients = Executors.newFixedThreadPool(64);
        try {
            List<Callable<Integer>> work = new ArrayList<>();
            for (int client = 0; client < 64; client++) {
                ManagedChannel channel = channels.get(client % 3);
                work.add(() -> {
                    RateLimitServiceGrpc.RateLimitServiceBlockingStub stub = RateLimitServiceGrpc.newBlockingStub(channel);
                    int admitted = 0;
                    for (int call = 0; call < 5; call++) {
                        RateLimitResponse response = stub.withDeadlineAfter(10, TimeUnit.SECONDS).shouldRateLimit(request);
                        if (response.getOverallCode() == RateLimitResponse.Code.OK) {
                            admitted++;
                        }
                    }
                    return admitted;
                });
            }
            int admitted = 0;
            for (Future<Integer> result : clients.invokeAll(work)) {
                admitted += result.get();
            }

            // 320 calls against a limit of 100
            assertEquals(LIMIT, admitted);
        } finally {
            clients.shutdownNow();
            for (ManagedChannel channel : channels) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean ready(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
