package dev.meridian.platform.redis;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.function.Supplier;

/**
 * Makes the unshared Redis clients that {@link StreamTail}s block on, pointed at the same Redis as
 * the service's default client ({@code quarkus.redis.hosts}).
 */
@ApplicationScoped
public class StreamClients implements Supplier<Redis> {

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String hosts;

    @Override
    public Redis get() {
        // quarkus.redis.hosts may list several URIs; the control plane uses a standalone Redis.
        String first = hosts.split(",")[0].strip();
        return Redis.createClient(vertx, new RedisOptions().setConnectionString(first).setMetricsName("stream-tail").setMaxPoolSize(2)
                .setMaxPoolWaiting(8));
    }
}
