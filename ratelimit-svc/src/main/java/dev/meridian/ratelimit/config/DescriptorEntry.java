package dev.meridian.ratelimit.config;

/** One key/value pair of a request's descriptor, e.g. {@code remote_address=10.0.0.1}. */
public record DescriptorEntry(String key, String value) {

    public DescriptorEntry {
        value = value == null ? "" : value;
    }
}
