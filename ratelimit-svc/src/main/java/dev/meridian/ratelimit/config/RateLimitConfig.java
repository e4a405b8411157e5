package dev.meridian.ratelimit.config;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, validated set of domains: what every decision is made against until the next
 * successful reload swaps it whole.
 *
 * @param domains  by name
 * @param version  a digest of the files' contents, so instances can be compared
 * @param loadedAt when this set was loaded
 */
public record RateLimitConfig(Map<String, DomainConfig> domains, String version, Instant loadedAt) {

    public static RateLimitConfig empty(Instant now) {
        return new RateLimitConfig(Map.of(), "empty", now);
    }

    public Optional<DomainConfig> domain(String name) {
        return Optional.ofNullable(domains.get(name));
    }

    /**
     * envoyproxy/ratelimit's matching: level by level, an entry tries its exact {@code key_value},
     * then the wildcard values in config order, then the key-only default. Limits apply only when
     * the request's descriptor ends at their depth; a node without children ends the walk.
     */
    public Optional<Match> match(String domainName, List<DescriptorEntry> entries) {
        DomainConfig domain = domains.get(domainName);
        if (domain == null || entries.isEmpty()) {
            return Optional.empty();
        }
        DescriptorNode.DescriptorLevel level = domain.descriptors();
        for (int i = 0; i < entries.size(); i++) {
            DescriptorEntry entry = entries.get(i);
            DescriptorNode node = find(level, entry);
            if (node == null) {
                return Optional.empty();
            }
            boolean last = i == entries.size() - 1;
            if (last) {
                return Optional.of(new Match(node, node.limits()));
            }
            if (node.children().isEmpty()) {
                // The request is deeper than the config: Envoy applies nothing.
                return Optional.of(new Match(node, List.of()));
            }
            level = node.children();
        }
        return Optional.empty();
    }

    private static DescriptorNode find(DescriptorNode.DescriptorLevel level, DescriptorEntry entry) {
        DescriptorNode exact = level.byCompositeKey().get(entry.key() + "_" + entry.value());
        if (exact != null && exact.value() != null) {
            return exact;
        }
        for (DescriptorNode wildcard : level.wildcards()) {
            if (wildcard.key().equals(entry.key()) && Wildcards.matches(wildcard.value(), entry.value())) {
                return wildcard;
            }
        }
        DescriptorNode keyOnly = level.byCompositeKey().get(entry.key());
        return keyOnly != null && keyOnly.value() == null ? keyOnly : null;
    }
}
