package dev.meridian.ratelimit.grpc;

import com.google.protobuf.UInt64Value;
import dev.meridian.contracts.ratelimit.v1.CheckRequest;
import dev.meridian.contracts.ratelimit.v1.CheckResponse;
import dev.meridian.contracts.ratelimit.v1.KeyPart;
import dev.meridian.contracts.ratelimit.v1.RateLimiterGrpc;
import dev.meridian.ratelimit.RateLimitTestResource;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Through Envoy's own generated client stub, as Envoy itself calls it. */
@QuarkusTest
@QuarkusTestResource(RateLimitTestResource.class)
class EnvoyGrpcTest {

    private ManagedChannel channel;
    private RateLimitServiceGrpc.RateLimitServiceBlockingStub envoy;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", RestAssured.port).usePlaintext().build();
        envoy = RateLimitServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static RateLimitDescriptor descriptor(String key, String value) {
        return RateLimitDescriptor.newBuilder()
                .addEntries(RateLimitDescriptor.Entry.newBuilder().setKey(key).setValue(value)).build();
    }

    private RateLimitResponse ask(RateLimitDescriptor... descriptors) {
        RateLimitRequest.Builder request = RateLimitRequest.newBuilder().setDomain("test");
        for (RateLimitDescriptor d : descriptors) {
            request.addDescriptors(d);
        }
        return envoy.shouldRateLimit(request.build());
    }

    @Test
    void countsDownToOverLimitWithEnvoysFields() {
        RateLimitDescriptor user = descriptor("user", UUID.randomUUID().toString());
        for (int remaining = 4; remaining >= 0; remaining--) {
            RateLimitResponse ok = ask(user);
            assertEquals(RateLimitResponse.Code.OK, ok.getOverallCode());
            RateLimitResponse.DescriptorStatus status = ok.getStatuses(0);
            assertEquals(remaining, status.getLimitRemaining());
            assertEquals(5, status.getCurrentLimit().getRequestsPerUnit());
            assertEquals(RateLimitResponse.RateLimit.Unit.HOUR, status.getCurrentLimit().getUnit());
            assertTrue(status.getDurationUntilReset().getSeconds() <= 3600);
        }
        RateLimitResponse over = ask(user);
        assertEquals(RateLimitResponse.Code.OVER_LIMIT, over.getOverallCode());
        assertEquals(RateLimitResponse.Code.OVER_LIMIT, over.getStatuses(0).getCode());
        assertTrue(over.getResponseHeadersToAddList().stream().anyMatch(h -> h.getKey().equals("Retry-After")));
        assertTrue(over.getResponseHeadersToAddList().stream()
                .anyMatch(h -> h.getKey().equals("RateLimit-Policy") && h.getValue().equals("\"default\";q=5;w=3600")));
    }

    @Test
    void oneStatusPerDescriptorInOrder() {
        RateLimitResponse response = ask(descriptor("healthcheck", "x"), descriptor("user", UUID.randomUUID().toString()),
                descriptor("unknown", "y"));
        assertEquals(3, response.getStatusesCount());
        assertFalse(response.getStatuses(0).hasCurrentLimit());
        assertTrue(response.getStatuses(1).hasCurrentLimit());
        assertFalse(response.getStatuses(2).hasCurrentLimit());
    }

    @Test
    void descriptorHitsAddendZeroOnlyChecks() {
        RateLimitDescriptor checkOnly = descriptor("user", UUID.randomUUID().toString()).toBuilder()
                .setHitsAddend(UInt64Value.of(0)).build();
        for (int i = 0; i < 8; i++) {
            assertEquals(5, ask(checkOnly).getStatuses(0).getLimitRemaining());
        }
        RateLimitResponse four = envoy.shouldRateLimit(RateLimitRequest.newBuilder().setDomain("test").setHitsAddend(4)
                .addDescriptors(checkOnly.toBuilder().clearHitsAddend()).build());
        assertEquals(1, four.getStatuses(0).getLimitRemaining());
    }

    @Test
    void theDescriptorsOwnLimitOverridesTheConfig() {
        RateLimitDescriptor overridden = descriptor("user", UUID.randomUUID().toString()).toBuilder()
                .setLimit(RateLimitDescriptor.RateLimitOverride.newBuilder().setRequestsPerUnit(1)
                        .setUnit(io.envoyproxy.envoy.type.v3.RateLimitUnit.MINUTE))
                .build();
        assertEquals(RateLimitResponse.Code.OK, ask(overridden).getOverallCode());
        RateLimitResponse second = ask(overridden);
        assertEquals(RateLimitResponse.Code.OVER_LIMIT, second.getOverallCode());
        assertEquals(RateLimitResponse.RateLimit.Unit.MINUTE, second.getStatuses(0).getCurrentLimit().getUnit());
    }

    @Test
    void shadowModeAnswersOk() {
        RateLimitDescriptor shady = descriptor("shadow", UUID.randomUUID().toString());
        ask(shady);
        RateLimitResponse second = ask(shady);
        assertEquals(RateLimitResponse.Code.OK, second.getOverallCode());
        assertEquals(0, second.getStatuses(0).getLimitRemaining());
    }

    @Test
    void unknownDomainIsOk() {
        RateLimitResponse response = envoy.shouldRateLimit(RateLimitRequest.newBuilder().setDomain("nobody-configured-this")
                .addDescriptors(descriptor("user", "x")).build());
        assertEquals(RateLimitResponse.Code.OK, response.getOverallCode());
    }

    @Test
    void badRequestsGetInvalidArgumentAndTheServerCarriesOn() {
        StatusRuntimeException noDomain = assertThrows(StatusRuntimeException.class,
                () -> envoy.shouldRateLimit(RateLimitRequest.newBuilder().addDescriptors(descriptor("user", "x")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noDomain.getStatus().getCode());
        assertEquals("rate limit domain must not be empty", noDomain.getStatus().getDescription());

        StatusRuntimeException noDescriptors = assertThrows(StatusRuntimeException.class,
                () -> envoy.shouldRateLimit(RateLimitRequest.newBuilder().setDomain("test").build()));
        assertEquals("rate limit descriptor list must not be empty", noDescriptors.getStatus().getDescription());

        RateLimitRequest.Builder tooMany = RateLimitRequest.newBuilder().setDomain("test");
        for (int i = 0; i < 65; i++) {
            tooMany.addDescriptors(descriptor("user", "u" + i));
        }
        assertEquals(Status.Code.INVALID_ARGUMENT,
                assertThrows(StatusRuntimeException.class, () -> envoy.shouldRateLimit(tooMany.build())).getStatus().getCode());

        StatusRuntimeException empty = assertThrows(StatusRuntimeException.class, () -> envoy.shouldRateLimit(
                RateLimitRequest.newBuilder().setDomain("test").addDescriptors(RateLimitDescriptor.getDefaultInstance()).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, empty.getStatus().getCode());

        assertEquals(RateLimitResponse.Code.OK, ask(descriptor("healthcheck", "still-serving")).getOverallCode());
    }

    /** ShouldRateLimit with the request body as raw bytes, to send what no stub would. */
    private static final MethodDescriptor<byte[], byte[]> RAW_SHOULD_RATE_LIMIT = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(RateLimitServiceGrpc.getShouldRateLimitMethod().getFullMethodName())
            .setRequestMarshaller(RawBytes.INSTANCE).setResponseMarshaller(RawBytes.INSTANCE).build();

    private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public java.io.InputStream stream(byte[] value) {
            return new java.io.ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(java.io.InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private Status.Code rawCall(byte[] body) {
        return assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(channel, RAW_SHOULD_RATE_LIMIT,
                CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), body)).getStatus().getCode();
    }

    @Test
    void aMalformedOrOversizedRequestIsAnsweredInvalidArgumentAtOnce() {
        // truncated: a descriptors field (2) announcing 100 bytes of which 2 arrive
        assertEquals(Status.Code.INVALID_ARGUMENT, rawCall(new byte[] {0x12, 100, 0x0a, 0x01}));
        // garbage: a field number 0 with an invalid wire type
        assertEquals(Status.Code.INVALID_ARGUMENT, rawCall(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}));
        // over the 4 MiB message limit
        assertEquals(Status.Code.INVALID_ARGUMENT, rawCall(new byte[GrpcRoutes.MAX_MESSAGE_BYTES + 1]));

        assertEquals(RateLimitResponse.Code.OK, ask(descriptor("healthcheck", "still-serving")).getOverallCode());
    }

    @Test
    void meridiansOwnApiAnswersAMalformedRequestInvalidArgument() {
        MethodDescriptor<byte[], byte[]> rawCheck = RAW_SHOULD_RATE_LIMIT.toBuilder()
                .setFullMethodName(RateLimiterGrpc.getCheckMethod().getFullMethodName()).build();

        Status status = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(channel, rawCheck,
                CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), new byte[] {0x12, 100, 0x0a, 0x01})).getStatus();

        assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
        assertEquals("malformed Check request", status.getDescription());
    }

    @Test
    void meridiansOwnApiAnswersAllowedRemainingAndRetryAfter() {
        RateLimiterGrpc.RateLimiterBlockingStub meridian = RateLimiterGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS);
        CheckRequest request = CheckRequest.newBuilder().setPolicy("test")
                .addKeyParts(KeyPart.newBuilder().setKey("user").setValue(UUID.randomUUID().toString())).setCost(3).build();
        CheckResponse first = meridian.check(request);
        assertTrue(first.getAllowed());
        assertEquals(2, first.getRemaining());
        assertEquals(5, first.getLimit());
        assertEquals(3_600_000, first.getWindowMillis());
        CheckResponse second = meridian.check(request);
        assertFalse(second.getAllowed());
        assertTrue(second.getRetryAfterMillis() > 0);
        CheckResponse peek = meridian.check(request.toBuilder().setCheckOnly(true).build());
        assertEquals(0, peek.getRemaining());
    }
}
