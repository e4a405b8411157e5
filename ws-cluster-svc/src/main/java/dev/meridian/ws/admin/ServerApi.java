package dev.meridian.ws.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meridian.ws.WsRuntime;
import dev.meridian.ws.broker.Broker;
import dev.meridian.ws.broker.Publication;
import dev.meridian.ws.broker.StreamPosition;
import dev.meridian.ws.config.Namespaces;
import dev.meridian.ws.config.WsConfig.ChannelOptions;
import dev.meridian.ws.protocol.ClientError;
import dev.meridian.ws.protocol.CommandException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;

/**
 * The server-side API shared by HTTP and gRPC: applications publish, read history and presence
 * without a WebSocket. Namespace permissions for clients do not apply (the server is trusted), but
 * channel names are checked the same way.
 */
@ApplicationScoped
public class ServerApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WsRuntime runtime;

    private Namespaces namespaces() {
        return runtime.namespaces();
    }

    public Uni<StreamPosition> publish(String channel, String dataJson) {
        ChannelOptions options = namespaces().resolve(channel == null ? "" : channel);
        String data = compact(dataJson);
        return runtime.broker().publish(channel, data, null, options).invoke(p -> runtime.metrics().published());
    }

    public Uni<Broker.HistoryPage> history(String channel, long since, String epoch, int limit) {
        ChannelOptions options = namespaces().resolve(channel == null ? "" : channel);
        int bounded = limit <= 0 ? options.historySize() : Math.min(limit, options.historySize());
        if (bounded == 0) {
            throw new CommandException(ClientError.NOT_AVAILABLE, "channel " + channel + " keeps no history");
        }
        return runtime.broker().history(channel, since > 0 ? since : -1, epoch, bounded, options);
    }

    public Uni<Map<String, String>> presence(String channel) {
        namespaces().resolve(channel == null ? "" : channel);
        return runtime.broker().presence(channel);
    }

    /** Data must be one JSON value; stored compact so it never carries a raw newline. */
    private static String compact(String dataJson) {
        if (dataJson == null || dataJson.isBlank()) {
            throw new CommandException(ClientError.BAD_REQUEST, "data must be a JSON value");
        }
        try {
            return JSON.readTree(dataJson).toString();
        } catch (Exception e) {
            throw new CommandException(ClientError.BAD_REQUEST, "data is not JSON: " + e.getMessage());
        }
    }

    static List<Map<String, Object>> view(List<Publication> publications) {
        return publications.stream().map(p -> Map.<String, Object>of("offset", p.offset(), "data", raw(p.data()))).toList();
    }

    private static Object raw(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            return json;
        }
    }
}
