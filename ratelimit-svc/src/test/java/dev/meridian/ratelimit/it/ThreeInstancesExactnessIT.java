package dev.meridian.ratelimit.it;

import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import dev.meridian.platform.testing.ServiceJar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private static final List<ServiceJar> INSTANCES = new ArrayList<>();

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
            INSTANCES.add(ServiceJar.start("ratelimit-" + i, Map.of(
                    "RATELIMIT_CONFIG_DIR", config.toString(),
                    "RATELIMIT_REDIS_URL", "redis://127.0.0.1:16379",
                    "RATELIMIT_INSTANCES", "3",
                    "MERIDIAN_RATELIMIT_STORE_KEY_PREFIX", "meridian-it:rl:",
                    "MERIDIAN_PLATFORM_FLAGS_HASH_KEY", "meridian-it:flags",
                    "MERIDIAN_PLATFORM_FLAGS_CONTROL_STREAM", "meridian-it:control")));
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (ServiceJar instance : INSTANCES) {
            instance.close();
        }
    }

    @Test
    void sixtyFourClientsOverThreeInstancesAdmitExactlyTheLimit() throws Exception {
        String user = UUID.randomUUID().toString();
        List<ManagedChannel> channels = new ArrayList<>();
        for (ServiceJar instance : INSTANCES) {
            channels.add(ManagedChannelBuilder.forAddress("127.0.0.1", instance.httpPort()).usePlaintext().build());
        }
        RateLimitRequest request = RateLimitRequest.newBuilder().setDomain("exact")
                .addDescriptors(RateLimitDescriptor.newBuilder()
                        .addEntries(RateLimitDescriptor.Entry.newBuilder().setKey("user").setValue(user)))
                .build();
        // One decision per instance on another key first: a cold instance's first store calls can
        // pass the store timeout on a loaded machine and be decided by the failure mode (open), which
        // is not what this test is about.
        for (ManagedChannel channel : channels) {
            RateLimitRequest warmUp = RateLimitRequest.newBuilder().setDomain("exact")
                    .addDescriptors(RateLimitDescriptor.newBuilder()
                            .addEntries(RateLimitDescriptor.Entry.newBuilder().setKey("user").setValue("warm-up-" + user)))
                    .build();
            RateLimitServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).shouldRateLimit(warmUp);
        }
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
}
