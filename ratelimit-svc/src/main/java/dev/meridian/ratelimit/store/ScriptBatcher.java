package dev.meridian.ratelimit.store;

import dev.meridian.platform.redis.LuaScript;
import dev.meridian.platform.transport.CoalescedFlushes;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends the calls of one Lua script made during one event-loop turn to Redis together: one write
 * carrying every {@code EVALSHA}, one connection, replies matched in order. Each decision still
 * costs Redis one script run and its caller one round trip, but the service pays one system call
 * per batch instead of one per decision, and Redis reads the whole batch at once.
 *
 * <p>Calls are gathered per hash slot (Redis Cluster runs a batch on one node) and per event
 * loop; the batch leaves at the end of the turn or when it reaches {@link #MAX_BATCH}, on that
 * loop's own client ({@link EventLoopRedis}), with one timer for the whole batch: its calls fail
 * with a TimeoutException when Redis takes longer than the store's timeout. The answers a batch
 * reply completes leave each client connection in one write ({@code CoalescedFlushes}). A call
 * made off an event loop goes alone, with a timeout of its own.
 *
 * <p>The client fails a batch as a whole when any one command in it fails. When every command was
 * refused NOSCRIPT (Redis restarted and lost the script), none ran, and each call is retried
 * alone, which loads the script; any other failure (a connection lost mid-batch, one command's
 * error) may have come after some commands ran, and running those again would count their hits
 * twice, so every call in the batch fails with it, as a lone call would.
 */
final class ScriptBatcher {

    static final int MAX_BATCH = 128;

    private record Call(int keyCount, List<String> keysThenArgs, UniEmitter<? super Response> emitter) {
    }

    private static final class Batch {
        final List<Call> calls = new ArrayList<>();
        boolean sent;
    }

    private final EventLoopRedis redis;
    private final LuaScript script;
    private final Duration timeout;
    private final LongAdder batchesSent = new LongAdder();
    /** The open batch per slot of the event loop running on this thread. */
    private final ThreadLocal<Map<Integer, Batch>> open = ThreadLocal.withInitial(HashMap::new);

    ScriptBatcher(EventLoopRedis redis, LuaScript script, Duration timeout) {
        this.redis = redis;
        this.script = script;
        this.timeout = timeout;
    }

    Uni<Response> run(int slot, int keyCount, List<String> keysThenArgs) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = Vertx.currentContext();
            if (context == null || !context.isEventLoopContext()) {
                offLoop(new Call(keyCount, keysThenArgs, emitter));
                return;
            }
            Map<Integer, Batch> batches = open.get();
            Batch batch = batches.get(slot);
            if (batch == null) {
                Batch created = new Batch();
                batches.put(slot, created);
                context.runOnContext(v -> send(context, batches, slot, created));
                batch = created;
            }
            batch.calls.add(new Call(keyCount, keysThenArgs, emitter));
            if (batch.calls.size() >= MAX_BATCH) {
                send(context, batches, slot, batch);
            }
        });
    }

    private void send(Context context, Map<Integer, Batch> batches, int slot, Batch batch) {
        if (batch.sent) {
            return;
        }
        batch.sent = true;
        batches.remove(slot, batch);
        List<Call> calls = batch.calls;
        batchesSent.increment();
        List<Request> requests = new ArrayList<>(calls.size());
        for (Call call : calls) {
            requests.add(script.evalsha(call.keyCount(), call.keysThenArgs()));
        }
        // One timer for the whole batch rather than one per call: a late reply then completes
        // callers that have already failed, which Mutiny ignores.
        Vertx vertx = context.owner();
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            TimeoutException late = timedOut();
            CoalescedFlushes.during(() -> calls.forEach(call -> call.emitter().fail(late)));
        });
        // The callers' answers go out with one flush per connection (CoalescedFlushes).
        redis.current().batch(requests).subscribe().with(replies -> CoalescedFlushes.during(() -> {
            vertx.cancelTimer(timer);
            for (int i = 0; i < calls.size(); i++) {
                calls.get(i).emitter().complete(replies.get(i));
            }
        }), failure -> CoalescedFlushes.during(() -> {
            if (noneRan(failure, calls.size())) {
                // The retries stay under the batch's timer.
                calls.forEach(this::alone);
            } else {
                vertx.cancelTimer(timer);
                calls.forEach(call -> call.emitter().fail(failure));
            }
        }));
    }

    /**
     * Whether every command of a failed batch was refused NOSCRIPT. The client reports a failed
     * batch as one error with a line per failed command; anything it cannot be sure of counts as
     * "some may have run".
     */
    static boolean noneRan(Throwable failure, int commands) {
        String message = failure.getMessage();
        return message != null && message.lines().filter(line -> line.contains("NOSCRIPT")).count() == commands;
    }

    /** Batches sent so far. */
    long batchesSent() {
        return batchesSent.sum();
    }

    /** After NOSCRIPT: EVALSHA, then EVAL, which loads the script. */
    private void alone(Call call) {
        script.run(redis.current(), call.keyCount(), call.keysThenArgs()).subscribe().with(call.emitter()::complete, call.emitter()::fail);
    }

    private TimeoutException timedOut() {
        return new TimeoutException("counter store did not answer within " + timeout);
    }

    private void offLoop(Call call) {
        script.run(redis.current(), call.keyCount(), call.keysThenArgs())
                .ifNoItem().after(timeout).failWith(this::timedOut)
                .subscribe().with(call.emitter()::complete, call.emitter()::fail);
    }
}
