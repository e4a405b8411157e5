package dev.meridian.ratelimit.config;

/**
 * One domain: a file's descriptor tree and how it behaves when counters are unreachable.
 *
 * @param name        the domain
 * @param failureMode decisions while the counter store is down (Meridian extension, default allow)
 * @param descriptors the top level of its descriptor tree
 * @param file        the file it came from
 */
public record DomainConfig(String name, FailureMode failureMode, DescriptorNode.DescriptorLevel descriptors, String file) {
}
