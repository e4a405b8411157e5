package dev.meridian.ratelimit.limiter;

import dev.meridian.ratelimit.config.LimitRule;

import java.util.ArrayList;
import java.util.List;

/**
 * The headers a client sees, from the descriptor that is closest to (or over) its limit: the IETF
 * {@code RateLimit-Policy} and {@code RateLimit} fields (structured-field lists, draft-ietf-httpapi-
 * ratelimit-headers), the legacy {@code X-RateLimit-*} trio, and {@code Retry-After} when over.
 */
public final class ResponseHeaders {

    private ResponseHeaders() {
    }

    public static List<RateLimitDecision.Header> of(List<DescriptorDecision> statuses) {
        DescriptorDecision closest = null;
        for (DescriptorDecision status : statuses) {
            if (status.currentLimit() == null) {
                continue;
            }
            boolean over = status.code() == Code.OVER_LIMIT;
            if (closest == null || over && closest.code() != Code.OVER_LIMIT
                    || over == (closest.code() == Code.OVER_LIMIT) && status.remaining() < closest.remaining()) {
                closest = status;
            }
        }
        List<RateLimitDecision.Header> headers = new ArrayList<>();
        if (closest == null) {
            return headers;
        }
        LimitRule rule = closest.currentLimit();
        long windowSeconds = rule.window().toSeconds();
        long resetSeconds = ceilSeconds(closest.untilReset().toMillis());
        String policy = quoted(rule.name() == null ? "default" : rule.name());
        headers.add(new RateLimitDecision.Header("RateLimit-Policy", policy + ";q=" + rule.requestsPerUnit() + ";w=" + windowSeconds));
        headers.add(new RateLimitDecision.Header("RateLimit", policy + ";r=" + closest.remaining() + ";t=" + resetSeconds));
        headers.add(new RateLimitDecision.Header("X-RateLimit-Limit", rule.requestsPerUnit() + ", " + rule.requestsPerUnit() + ";w=" + windowSeconds));
        headers.add(new RateLimitDecision.Header("X-RateLimit-Remaining", Long.toString(closest.remaining())));
        headers.add(new RateLimitDecision.Header("X-RateLimit-Reset", Long.toString(resetSeconds)));
        if (closest.code() == Code.OVER_LIMIT) {
            long retry = Math.max(1, ceilSeconds(closest.retryAfter().toMillis()));
            headers.add(new RateLimitDecision.Header("Retry-After", Long.toString(retry)));
        }
        return headers;
    }

    private static long ceilSeconds(long millis) {
        return (millis + 999) / 1000;
    }

    /** A structured-field sf-string: only printable ASCII, with {@code "} and {@code \} escaped. */
    static String quoted(String raw) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : raw.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append('_');
            }
        }
        return out.append('"').toString();
    }
}
