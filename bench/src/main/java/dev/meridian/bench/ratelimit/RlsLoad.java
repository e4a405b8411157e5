package dev.meridian.bench.ratelimit;

import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Envoy RLS v3 load against a rate-limit service, through Envoy's own generated stub.
 *
 * <pre>
 * closed loop:  --mode closed --concurrency 64 --seconds 10      (as fast as C callers go)
 * fixed rate:   --mode rate --rate 10000 --seconds 10            (latency measured from the intended
 *                                                                  send time: no coordinated omission)
 * </pre>
 * Prints one line: {@code mode=… decisions_per_s=… p50_ms=… p99_ms=… max_ms=… errors=… over_limit=…}.
 */
public final class RlsLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        if (options.containsKey("write-body")) {
            writeBody(options);
            return;
        }
        String target = options.getOrDefault("target", "127.0.0.1:8102");
        String mode = options.getOrDefault("mode", "closed");
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "64"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "10000"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "3"));
        int keys = Integer.parseInt(options.getOrDefault("keys", "10000"));
        String domain = options.getOrDefault("domain", "bench");
        int channels = Integer.parseInt(options.getOrDefault("channels", "4"));

        List<ManagedChannel> pool = new ArrayList<>();
        List<RateLimitServiceGrpc.RateLimitServiceStub> stubs = new ArrayList<>();
        String[] hostPort = target.split(":");
        for (int i = 0; i < channels; i++) {
            ManagedChannel channel = NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1])).usePlaintext()
                    // Callbacks run on the I/O thread: no hand-off per response, so the generator itself costs less CPU.
                    .directExecutor().build();
            pool.add(channel);
            stubs.add(RateLimitServiceGrpc.newStub(channel));
        }
        Load load = new Load(stubs, domain, keys);
        if (warmup > 0) {
            // Warm up the way the run will load: a fixed-rate run's first seconds would otherwise
            // measure the generator's own JIT compiling its scheduling path.
            if (mode.equals("rate")) {
                load.rate(rate, warmup);
            } else {
                load.closed(concurrency, warmup);
            }
        }
        Result result = mode.equals("rate") ? load.rate(rate, seconds) : load.closed(concurrency, seconds);
        Histogram h = result.latency();
        System.out.printf("mode=%s concurrency=%d target_rate=%d decisions_per_s=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d over_limit=%d%n",
                mode, concurrency, mode.equals("rate") ? rate : 0, result.completed() / result.seconds(),
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6,
                result.errors(), result.overLimit());
        for (ManagedChannel channel : pool) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    record Result(long completed, double seconds, Histogram latency, long errors, long overLimit) {
    }

    /** Counters shared by the calls of one run. */
    private record Tally(Recorder latency, AtomicLong completed, AtomicLong errors, AtomicLong over) {
        static Tally create() {
            return new Tally(new Recorder(3), new AtomicLong(), new AtomicLong(), new AtomicLong());
        }

        Result result(long startNanos) {
            return new Result(completed.get(), (System.nanoTime() - startNanos) / 1e9, latency.getIntervalHistogram(),
                    errors.get(), over.get());
        }
    }

    /** One call's observer: counts its outcome and latency, then hands over to {@link #finished()}. */
    private abstract static class Call implements StreamObserver<RateLimitResponse> {
        final Tally tally;

        Call(Tally tally) {
            this.tally = tally;
        }

        /** When the latency of this call starts (send time, or the intended send time at a fixed rate). */
        abstract long startedAt();

        abstract void finished();

        @Override
        public void onNext(RateLimitResponse response) {
            if (response.getOverallCode() == RateLimitResponse.Code.OVER_LIMIT) {
                tally.over().incrementAndGet();
            }
        }

        @Override
        public void onError(Throwable t) {
            if (tally.errors().incrementAndGet() == 1) {
                System.err.println("first error: " + t + (t.getCause() != null ? " caused by " + t.getCause() : ""));
            }
            finished();
        }

        @Override
        public void onCompleted() {
            tally.latency().recordValue(System.nanoTime() - startedAt());
            tally.completed().incrementAndGet();
            finished();
        }
    }

    private static final class Load {
        static final long TICK_NANOS = 500_000;

        private final List<RateLimitServiceGrpc.RateLimitServiceStub> stubs;
        private final String domain;
        private final int keys;

        Load(List<RateLimitServiceGrpc.RateLimitServiceStub> stubs, String domain, int keys) {
            this.stubs = stubs;
            this.domain = domain;
            this.keys = keys;
        }

        RateLimitRequest request() {
            int user = ThreadLocalRandom.current().nextInt(keys);
            return RateLimitRequest.newBuilder().setDomain(domain)
                    .addDescriptors(RateLimitDescriptor.newBuilder()
                            .addEntries(RateLimitDescriptor.Entry.newBuilder().setKey("user").setValue("u" + user)))
                    .build();
        }

        /** {@code concurrency} callers, each sending its next call when the last one answers. */
        Result closed(int concurrency, int seconds) throws InterruptedException {
            Tally tally = Tally.create();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            CountDownLatch done = new CountDownLatch(concurrency);
            long start = System.nanoTime();
            for (int i = 0; i < concurrency; i++) {
                RateLimitServiceGrpc.RateLimitServiceStub stub = stubs.get(i % stubs.size());
                new Call(tally) {
                    private long sentAt;

                    @Override
                    long startedAt() {
                        return sentAt;
                    }

                    @Override
                    void finished() {
                        if (System.nanoTime() >= end) {
                            done.countDown();
                            return;
                        }
                        sentAt = System.nanoTime();
                        stub.shouldRateLimit(request(), this);
                    }
                }.finished();
            }
            done.await();
            return tally.result(start);
        }

        /**
         * Calls sent on a fixed schedule whatever the answers do; latency counts from each call's own
         * place in the schedule. The sender wakes every {@link #TICK_NANOS} and sends every call whose
         * time has come: waking once per call (every 100 µs at 10,000/s) cost the generator a core of
         * the two it shares with the service, in timer wake-ups and one event-loop hand-off per call.
         * A call is thus sent up to one tick late, and that lateness is in its measured latency.
         */
        Result rate(int perSecond, int seconds) throws InterruptedException {
            Tally tally = Tally.create();
            Semaphore inFlight = new Semaphore(20_000);
            long interval = 1_000_000_000L / perSecond;
            long start = System.nanoTime();
            long total = (long) perSecond * seconds;
            long i = 0;
            while (i < total) {
                long now = System.nanoTime();
                for (; i < total && start + i * interval <= now; i++) {
                    long intended = start + i * interval;
                    inFlight.acquire();
                    stubs.get((int) (i % stubs.size())).shouldRateLimit(request(), new Call(tally) {
                        @Override
                        long startedAt() {
                            return intended;
                        }

                        @Override
                        void finished() {
                            inFlight.release();
                        }
                    });
                }
                long untilNext = start + i * interval - System.nanoTime();
                if (untilNext > 0) {
                    LockSupport.parkNanos(Math.max(untilNext, TICK_NANOS));
                }
            }
            inFlight.acquire(20_000);
            return tally.result(start);
        }
    }

    /**
     * Writes one ShouldRateLimit request as a gRPC length-prefixed frame, for HTTP/2 load tools
     * (h2load) that replay a fixed body: {@code --write-body FILE --domain D --user U}.
     */
    private static void writeBody(Map<String, String> options) throws java.io.IOException {
        byte[] message = RateLimitRequest.newBuilder().setDomain(options.getOrDefault("domain", "bench"))
                .addDescriptors(RateLimitDescriptor.newBuilder().addEntries(RateLimitDescriptor.Entry.newBuilder()
                        .setKey("user").setValue(options.getOrDefault("user", "u1"))))
                .build().toByteArray();
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(5 + message.length);
        frame.put((byte) 0).putInt(message.length).put(message);
        java.nio.file.Files.write(java.nio.file.Path.of(options.get("write-body")), frame.array());
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
