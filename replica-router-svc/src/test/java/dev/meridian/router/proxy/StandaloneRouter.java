package dev.meridian.router.proxy;

import dev.meridian.platform.breaker.CircuitBreakers;
import dev.meridian.platform.flags.RuntimeFlags;
import dev.meridian.router.config.RouterConfig;
import dev.meridian.router.probe.BackendCluster;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A second router inside the test application, wired exactly as the application's own
 * ({@link RouterRuntime}: prober, selector, listeners, fence sweep) but in front of other servers
 * and on another port, so that a test may fail those servers over without touching the local
 * environment's cluster. Settings other than the backends and the port are the application's.
 *
 * <p>Its backends are named as the application's ("primary", "replica-N"), so it shares their
 * circuit breakers and meters: close it before its servers stop, or the prober's failures would
 * count against the application's breakers.
 */
public final class StandaloneRouter implements AutoCloseable {

    private final RouterRuntime runtime = new RouterRuntime();

    private StandaloneRouter() {
    }

    /**
     * {@code userlist}: instead of the application's userlist and auth query, that file alone; null
     * for the application's. {@code pool}: pool settings by method name, in place of the application's.
     */
    static StandaloneRouter start(RouterConfig base, String primaryUrl, List<String> replicaUrls, int port, Duration shutdownTimeout,
                                  java.nio.file.Path userlist, Map<String, Object> pool,
                                  Vertx vertx, RuntimeFlags flags, CircuitBreakers breakers, MeterRegistry registry) throws Exception {
        RouterConfig.Listen listen = overriding(RouterConfig.Listen.class, base.listen(),
                Map.of("port", port, "shutdownTimeout", shutdownTimeout));
        StandaloneRouter router = new StandaloneRouter();
        router.runtime.vertx = vertx;
        router.runtime.flags = flags;
        router.runtime.breakers = breakers;
        router.runtime.registry = registry;
        Map<String, Object> overrides = new java.util.HashMap<>(Map.of("primaryUrl", primaryUrl, "replicaUrls", replicaUrls,
                "listen", listen, "pool", overriding(RouterConfig.Pool.class, base.pool(), pool)));
        if (userlist != null) {
            overrides.put("auth", overriding(RouterConfig.Auth.class, base.auth(), Map.of("userlist", java.util.Optional.of(userlist),
                    "query", java.util.Optional.empty())));
        }
        router.runtime.config = overriding(RouterConfig.class, base, overrides);
        router.runtime.onStart(null);
        return router;
    }

    public BackendCluster cluster() {
        return runtime.cluster();
    }

    /** Shuts it down as the application's router is at exit: it drains its clients first. */
    @Override
    public void close() {
        runtime.onStop(null);
    }

    /** {@code base} with the named no-argument methods answering {@code values} instead. */
    private static <T> T overriding(Class<T> type, T base, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getParameterCount() == 0 && values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            try {
                return method.invoke(base, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
