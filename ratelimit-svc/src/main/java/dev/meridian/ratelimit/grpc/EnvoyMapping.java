package dev.meridian.ratelimit.grpc;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meridian.ratelimit.config.DescriptorEntry;
import dev.meridian.ratelimit.config.LimitRule;
import dev.meridian.ratelimit.config.LimitUnit;
import dev.meridian.ratelimit.limiter.Code;
import dev.meridian.ratelimit.limiter.DescriptorDecision;
import dev.meridian.ratelimit.limiter.RateLimitDecision;
import dev.meridian.ratelimit.limiter.RateLimitQuery;
import dev.meridian.ratelimit.limiter.RequestDescriptor;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitRequest;
import io.envoyproxy.envoy.service.ratelimit.v3.RateLimitResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Between Envoy's RLS v3 messages and the wire-independent query and decision. */
public final class EnvoyMapping {

    private EnvoyMapping() {
    }

    /** Envoy: a request-level hits_addend of 0 means "not set", i.e. 1; a descriptor-level 0 (a wrapper) checks only. */
    public static RateLimitQuery query(RateLimitRequest request) {
        List<RequestDescriptor> descriptors = new ArrayList<>(request.getDescriptorsCount());
        for (RateLimitDescriptor descriptor : request.getDescriptorsList()) {
            List<DescriptorEntry> entries = new ArrayList<>(descriptor.getEntriesCount());
            descriptor.getEntriesList().forEach(e -> entries.add(new DescriptorEntry(e.getKey(), e.getValue())));
            Optional<RequestDescriptor.Override> override = Optional.empty();
            if (descriptor.hasLimit()) {
                LimitUnit unit = LimitUnit.fromEnvoy(RateLimitResponse.RateLimit.Unit.forNumber(descriptor.getLimit().getUnitValue()))
                        .orElseThrow(() -> new InvalidRequestException("descriptor limit override has an unknown unit"));
                override = Optional.of(new RequestDescriptor.Override(descriptor.getLimit().getRequestsPerUnit(), unit));
            }
            OptionalLong hits = descriptor.hasHitsAddend() ? OptionalLong.of(descriptor.getHitsAddend().getValue()) : OptionalLong.empty();
            descriptors.add(new RequestDescriptor(List.copyOf(entries), override, hits));
        }
        long hits = request.getHitsAddend() == 0 ? 1 : Integer.toUnsignedLong(request.getHitsAddend());
        return RequestLimits.check(new RateLimitQuery(request.getDomain(), List.copyOf(descriptors), hits));
    }

    public static RateLimitResponse response(RateLimitDecision decision) {
        RateLimitResponse.Builder response = RateLimitResponse.newBuilder().setOverallCode(code(decision.overall()));
        for (DescriptorDecision status : decision.statuses()) {
            RateLimitResponse.DescriptorStatus.Builder out = RateLimitResponse.DescriptorStatus.newBuilder()
                    .setCode(code(status.code()))
                    .setLimitRemaining((int) Math.min(status.remaining(), DescriptorDecision.UNLIMITED));
            LimitRule rule = status.currentLimit();
            if (rule != null) {
                RateLimitResponse.RateLimit.Builder limit = RateLimitResponse.RateLimit.newBuilder()
                        .setRequestsPerUnit((int) rule.requestsPerUnit())
                        .setUnit(rule.unit().envoy());
                if (rule.name() != null) {
                    limit.setName(rule.name());
                }
                out.setCurrentLimit(limit);
                out.setDurationUntilReset(com.google.protobuf.Duration.newBuilder()
                        .setSeconds(status.untilReset().getSeconds()).setNanos(status.untilReset().getNano()));
            }
            response.addStatuses(out);
        }
        decision.headers().forEach(h -> response.addResponseHeadersToAdd(HeaderValue.newBuilder().setKey(h.name()).setValue(h.value())));
        if (!decision.quotaViolations().isEmpty() || decision.statuses().stream().anyMatch(DescriptorDecision::quotaMode)) {
            ListValue.Builder violations = ListValue.newBuilder();
            decision.quotaViolations().forEach(i -> violations.addValues(Value.newBuilder().setNumberValue(i)));
            response.setDynamicMetadata(Struct.newBuilder()
                    .putFields("quotaModeEnabled", Value.newBuilder().setBoolValue(true).build())
                    .putFields("quotaModeViolations", Value.newBuilder().setListValue(violations).build()));
        }
        return response.build();
    }

    private static RateLimitResponse.Code code(Code code) {
        return code == Code.OVER_LIMIT ? RateLimitResponse.Code.OVER_LIMIT : RateLimitResponse.Code.OK;
    }
}
