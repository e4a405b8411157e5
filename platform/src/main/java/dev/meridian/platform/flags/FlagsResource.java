package dev.meridian.platform.flags;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /health/flags}: every flag's value on this instance, where it came from, and the Redis sync state. */
@Path("/health/flags")
public class FlagsResource {

    /** The JSON body: flags by key ({@code edge-cache}, …) and how this instance follows Redis. */
    public record FlagsReport(Map<String, FlagValue> flags, FlagSyncStatus sync) {
    }

    @Inject
    RuntimeFlags runtimeFlags;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public FlagsReport flags() {
        Map<String, FlagValue> byKey = new LinkedHashMap<>();
        runtimeFlags.snapshot().forEach((flag, value) -> byKey.put(flag.key(), value));
        return new FlagsReport(byKey, runtimeFlags.status());
    }
}
