package dev.meridian.ratelimit.grpc;

import dev.meridian.contracts.ratelimit.v1.CheckRequest;
import dev.meridian.contracts.ratelimit.v1.CheckResponse;
import dev.meridian.ratelimit.config.DescriptorEntry;
import dev.meridian.ratelimit.config.LimitRule;
import dev.meridian.ratelimit.limiter.Code;
import dev.meridian.ratelimit.limiter.DescriptorDecision;
import dev.meridian.ratelimit.limiter.RateLimitDecision;
import dev.meridian.ratelimit.limiter.RateLimitQuery;
import dev.meridian.ratelimit.limiter.RequestDescriptor;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Between {@code meridian.ratelimit.v1.RateLimiter/Check} and the decision: one descriptor, a cost, a yes or no with the numbers. */
public final class MeridianMapping {

    private MeridianMapping() {
    }

    /** A cost of 0 means 1; check_only counts nothing. */
    public static RateLimitQuery query(CheckRequest request) {
        List<DescriptorEntry> entries = request.getKeyPartsList().stream()
                .map(part -> new DescriptorEntry(part.getKey(), part.getValue())).toList();
        long cost = request.getCheckOnly() ? 0 : request.getCost() == 0 ? 1 : request.getCost();
        return RequestLimits.check(new RateLimitQuery(request.getPolicy(),
                List.of(new RequestDescriptor(entries, Optional.empty(), OptionalLong.of(cost))), 1));
    }

    public static CheckResponse response(RateLimitDecision decision) {
        DescriptorDecision status = decision.statuses().get(0);
        CheckResponse.Builder response = CheckResponse.newBuilder()
                .setAllowed(decision.overall() == Code.OK)
                .setRemaining(status.remaining())
                .setResetMillis(status.untilReset().toMillis())
                .setRetryAfterMillis(decision.overall() == Code.OK ? 0 : status.retryAfter().toMillis());
        LimitRule rule = status.currentLimit();
        if (rule != null) {
            response.setLimitName(rule.name() != null ? rule.name() : rule.metricKey())
                    .setLimit(rule.requestsPerUnit())
                    .setWindowMillis(rule.window().toMillis());
        }
        return response.build();
    }
}
