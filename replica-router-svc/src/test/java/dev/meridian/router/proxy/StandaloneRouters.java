package dev.meridian.router.proxy;

import dev.meridian.platform.breaker.CircuitBreakers;
import dev.meridian.platform.flags.RuntimeFlags;
import dev.meridian.router.config.RouterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Starts {@link StandaloneRouter}s with the test application's Vert.x, flags, breakers, meters and settings. */
@ApplicationScoped
public class StandaloneRouters {

    @Inject
    RouterConfig config;

    @Inject
    Vertx vertx;

    @Inject
    RuntimeFlags flags;

    @Inject
    CircuitBreakers breakers;

    @Inject
    MeterRegistry registry;

    public StandaloneRouter start(String primaryUrl, List<String> replicaUrls, int port) throws Exception {
        return start(primaryUrl, replicaUrls, port, config.listen().shutdownTimeout());
    }

    /** With its own shutdown timeout: {@link StandaloneRouter#close()} drains its clients for at most that long. */
    public StandaloneRouter start(String primaryUrl, List<String> replicaUrls, int port, Duration shutdownTimeout) throws Exception {
        return StandaloneRouter.start(config, primaryUrl, replicaUrls, port, shutdownTimeout, null, Map.of(), vertx, flags, breakers, registry);
    }

    /** In front of the application's backends, its clients checked against {@code userlist} alone (no auth query). */
    public StandaloneRouter startWithUserlist(int port, java.nio.file.Path userlist) throws Exception {
        return StandaloneRouter.start(config, config.primaryUrl(), config.replicaUrls(), port, config.listen().shutdownTimeout(), userlist,
                Map.of(), vertx, flags, breakers, registry);
    }

    /** In front of the application's backends, with some pool settings (by method name) of its own. */
    public StandaloneRouter startWithPool(int port, Map<String, Object> pool) throws Exception {
        return StandaloneRouter.start(config, config.primaryUrl(), config.replicaUrls(), port, config.listen().shutdownTimeout(), null,
                pool, vertx, flags, breakers, registry);
    }

    /** The application's own backends. */
    public RouterConfig config() {
        return config;
    }
}
