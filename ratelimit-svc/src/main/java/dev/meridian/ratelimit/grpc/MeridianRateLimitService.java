package dev.meridian.ratelimit.grpc;

import dev.meridian.contracts.ratelimit.v1.CheckRequest;
import dev.meridian.contracts.ratelimit.v1.CheckResponse;
import dev.meridian.contracts.ratelimit.v1.RateLimiter;
import dev.meridian.ratelimit.config.DescriptorEntry;
import dev.meridian.ratelimit.config.LimitRule;
import dev.meridian.ratelimit.limiter.Code;
import dev.meridian.ratelimit.limiter.DescriptorDecision;
import dev.meridian.ratelimit.limiter.RateLimitDecider;
import dev.meridian.ratelimit.limiter.RateLimitQuery;
import dev.meridian.ratelimit.limiter.RequestDescriptor;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** {@code meridian.ratelimit.v1.RateLimiter/Check}: one descriptor, a cost, a yes or no with the numbers. */
@GrpcService
public class MeridianRateLimitService implements RateLimiter {

    @Inject
    RateLimitDecider decider;

    @Override
    public Uni<CheckResponse> check(CheckRequest request) {
        RateLimitQuery query;
        try {
            List<DescriptorEntry> entries = request.getKeyPartsList().stream()
                    .map(part -> new DescriptorEntry(part.getKey(), part.getValue())).toList();
            long cost = request.getCheckOnly() ? 0 : request.getCost() == 0 ? 1 : request.getCost();
            query = RequestLimits.check(new RateLimitQuery(request.getPolicy(),
                    List.of(new RequestDescriptor(entries, Optional.empty(), OptionalLong.of(cost))), 1));
        } catch (InvalidRequestException e) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
        return decider.decide(query).map(decision -> {
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
        });
    }
}
