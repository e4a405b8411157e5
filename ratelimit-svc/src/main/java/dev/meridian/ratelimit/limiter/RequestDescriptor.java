package dev.meridian.ratelimit.limiter;

import dev.meridian.ratelimit.config.DescriptorEntry;
import dev.meridian.ratelimit.config.LimitUnit;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One descriptor of a request.
 *
 * @param entries    its key/value pairs, in order
 * @param override   Envoy's per-descriptor {@code limit}, which replaces the config's limit
 * @param hitsAddend the descriptor's own hits ({@code 0}: check only); empty: the request's
 */
public record RequestDescriptor(List<DescriptorEntry> entries, Optional<Override> override, OptionalLong hitsAddend) {

    /** A limit sent by the client instead of the configured one. */
    public record Override(long requestsPerUnit, LimitUnit unit) {
    }

    public static RequestDescriptor of(DescriptorEntry... entries) {
        return new RequestDescriptor(List.of(entries), Optional.empty(), OptionalLong.empty());
    }
}
