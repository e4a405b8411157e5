package dev.meridian.platform.breaker;

import dev.meridian.platform.metrics.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.util.TypeLiteral;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A named circuit breaker around one backend. Opens after {@code failureThreshold} failures in a
 * row (a SmallRye breaker with a rolling window of that size and failure ratio 1), lets one trial
 * call through after {@code resetTimeout}, and closes on its success. While the
 * {@code circuit-breaker} flag is off, calls bypass it entirely.
 */
public final class Breaker {

    /** The guard only needs to know the result is a Uni; one literal serves every call. */
    private static final TypeLiteral<Uni<Object>> UNI = new TypeLiteral<>() { };

    private final String name;
    private final Duration resetTimeout;
    private final BooleanSupplier enabled;
    private final Clock clock;
    private final Guard guard;
    private final AtomicInteger failures = new AtomicInteger();
    private final MeterRegistry registry;
    private final Counter rejected;
    private volatile CircuitBreakerState state = CircuitBreakerState.CLOSED;
    private volatile Instant lastTransition;

    Breaker(String name, int failureThreshold, Duration resetTimeout, BooleanSupplier enabled, Clock clock,
            MeterRegistry registry) {
        this.name = name;
        this.resetTimeout = resetTimeout;
        this.enabled = enabled;
        this.clock = clock;
        this.registry = registry;
        this.lastTransition = clock.instant();
        this.rejected = Counter.builder(MeterNames.platform("circuit_breaker.rejected"))
                .description("Calls refused because the breaker was open")
                .tag("breaker", name).register(registry);
        this.guard = Guard.create()
                .withCircuitBreaker()
                .name(name)
                .requestVolumeThreshold(failureThreshold)
                .failureRatio(1.0)
                .successThreshold(1)
                .delay(resetTimeout.toMillis(), ChronoUnit.MILLIS)
                .onStateChange(this::transition)
                .onSuccess(() -> failures.set(0))
                .onFailure(failures::incrementAndGet)
                .onPrevented(rejected::increment)
                .done()
                // Without this, SmallRye remembers the caller's event loop and dispatches both the
                // call and its outcome to it as two extra tasks per call (with context capture and
                // restore each time): at tens of thousands of calls a second that was a third of
                // ratelimit-svc's event-loop time. The guarded actions here are non-blocking Unis,
                // so running them, and their outcome, on the thread at hand is what we want; Vert.x
                // clients already complete on the caller's context.
                .withThreadOffload(true)
                .withThreadOffloadExecutor(Runnable::run)
                .build();
        for (CircuitBreakerState s : CircuitBreakerState.values()) {
            Gauge.builder(MeterNames.platform("circuit_breaker.state"), this, b -> b.state == s ? 1 : 0)
                    .description("1 for the state the breaker is in")
                    .tags("breaker", name, "state", s.name().toLowerCase())
                    .register(registry);
        }
        Gauge.builder(MeterNames.platform("circuit_breaker.failures"), failures, AtomicInteger::get)
                .description("Failures since the breaker's last success")
                .tag("breaker", name).register(registry);
    }

    public String name() {
        return name;
    }

    public CircuitBreakerState state() {
        return state;
    }

    /** Runs an asynchronous call through the breaker; fails with {@link CircuitBreakerOpenException} while open. */
    public <T> Uni<T> call(Supplier<Uni<T>> action) {
        if (!enabled.getAsBoolean()) {
            return Uni.createFrom().deferred(action::get);
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeLiteral<Uni<T>> type = (TypeLiteral) UNI;
        return guard.get(action, type);
    }

    /** Runs a blocking call through the breaker. Never call it on an event loop. */
    @SuppressWarnings("unchecked")
    public <T> T callBlocking(Callable<T> action) throws Exception {
        if (!enabled.getAsBoolean()) {
            return action.call();
        }
        return guard.call(action, (Class<T>) Object.class);
    }

    public BreakerView view() {
        CircuitBreakerState current = state;
        Instant changed = lastTransition;
        Instant openUntil = current == CircuitBreakerState.OPEN ? changed.plus(resetTimeout) : null;
        return new BreakerView(name, current.name(), failures.get(), changed, openUntil);
    }

    /** Back to CLOSED with no failures: used when the circuit-breaker flag is turned off. */
    void reset() {
        CircuitBreakerMaintenance.get().reset(name);
        failures.set(0);
        transition(CircuitBreakerState.CLOSED);
    }

    private void transition(CircuitBreakerState next) {
        CircuitBreakerState previous = state;
        if (previous == next) {
            return;
        }
        state = next;
        lastTransition = clock.instant();
        registry.counter(MeterNames.platform("circuit_breaker.transitions"), "breaker", name,
                "to", next.name().toLowerCase()).increment();
        Log.infof("breaker=%s state=%s previous=%s failures=%d", name, next, previous, failures.get());
    }
}
