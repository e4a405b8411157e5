package dev.meridian.ws.admin;

import dev.meridian.ws.config.WsConfig;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Lets Vert.x accept WebSocket messages somewhat above our own limit, so an oversized message
 * reaches the session and is answered with the protocol's disconnect code rather than a bare 1009.
 */
@ApplicationScoped
public class WebSocketLimits implements HttpServerOptionsCustomizer {

    @Inject
    WsConfig config;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        int limit = Math.max(config.limits().maxMessageBytes() * 2, 65536);
        options.setMaxWebSocketFrameSize(limit).setMaxWebSocketMessageSize(limit);
    }
}
