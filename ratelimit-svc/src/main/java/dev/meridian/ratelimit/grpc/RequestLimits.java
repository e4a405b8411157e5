package dev.meridian.ratelimit.grpc;

import dev.meridian.ratelimit.config.DescriptorEntry;
import dev.meridian.ratelimit.limiter.RateLimitQuery;
import dev.meridian.ratelimit.limiter.RequestDescriptor;

/**
 * Bounds on what one request may ask, so one client cannot make a decision arbitrarily expensive
 * for everyone else. Checked on every surface (gRPC, JSON, nginx check).
 */
public final class RequestLimits {

    public static final int MAX_DESCRIPTORS = 64;
    public static final int MAX_ENTRIES = 16;
    public static final int MAX_TEXT = 1024;
    public static final long MAX_HITS = 0xFFFF_FFFFL;

    private RequestLimits() {
    }

    public static RateLimitQuery check(RateLimitQuery query) {
        if (query.domain() == null || query.domain().isEmpty()) {
            throw new InvalidRequestException("rate limit domain must not be empty");
        }
        if (query.domain().length() > MAX_TEXT) {
            throw new InvalidRequestException("rate limit domain is longer than " + MAX_TEXT + " characters");
        }
        if (query.descriptors().isEmpty()) {
            throw new InvalidRequestException("rate limit descriptor list must not be empty");
        }
        if (query.descriptors().size() > MAX_DESCRIPTORS) {
            throw new InvalidRequestException("at most " + MAX_DESCRIPTORS + " descriptors per request, got " + query.descriptors().size());
        }
        if (query.hitsAddend() < 0 || query.hitsAddend() > MAX_HITS) {
            throw new InvalidRequestException("hits_addend out of range: " + query.hitsAddend());
        }
        for (int i = 0; i < query.descriptors().size(); i++) {
            RequestDescriptor descriptor = query.descriptors().get(i);
            if (descriptor.entries().isEmpty()) {
                throw new InvalidRequestException("descriptor " + i + " has no entries");
            }
            if (descriptor.entries().size() > MAX_ENTRIES) {
                throw new InvalidRequestException("descriptor " + i + " has more than " + MAX_ENTRIES + " entries");
            }
            if (descriptor.hitsAddend().isPresent() && (descriptor.hitsAddend().getAsLong() < 0
                    || descriptor.hitsAddend().getAsLong() > MAX_HITS)) {
                throw new InvalidRequestException("descriptor " + i + " hits_addend out of range");
            }
            for (DescriptorEntry entry : descriptor.entries()) {
                if (entry.key().isEmpty()) {
                    throw new InvalidRequestException("descriptor " + i + " has an entry with an empty key");
                }
                if (entry.key().length() > MAX_TEXT || entry.value().length() > MAX_TEXT) {
                    throw new InvalidRequestException("descriptor " + i + " has a key or value longer than " + MAX_TEXT + " characters");
                }
            }
        }
        return query;
    }
}
