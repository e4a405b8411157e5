package dev.meridian.ratelimit.http;

import dev.meridian.ratelimit.RateLimitServiceConfig;
import dev.meridian.ratelimit.config.DescriptorEntry;
import dev.meridian.ratelimit.grpc.InvalidRequestException;
import dev.meridian.ratelimit.grpc.RequestLimits;
import dev.meridian.ratelimit.limiter.Code;
import dev.meridian.ratelimit.limiter.RateLimitDecider;
import dev.meridian.ratelimit.limiter.RateLimitQuery;
import dev.meridian.ratelimit.limiter.RequestDescriptor;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code /v1/check} for nginx {@code auth_request}: any method (nginx keeps the original one), no
 * body, descriptors from configured request headers. 204 with the rate-limit headers when allowed,
 * 429 with {@code Retry-After} when not. nginx's {@code auth_request} treats anything but 2xx, 401
 * and 403 as an error, so a proxy may ask for 403 (or 401) instead with {@code X-RateLimit-Deny-Status}
 * and map it back to 429 itself (see {@code ops/nginx/meridian-ratelimit.conf}).
 */
@ApplicationScoped
public class NginxCheckRoute {

    static final String DOMAIN_HEADER = "X-RateLimit-Domain";
    static final String DENY_STATUS_HEADER = "X-RateLimit-Deny-Status";

    private record HeaderEntry(String key, String header) {
    }

    @Inject
    RateLimitDecider decider;

    @Inject
    RateLimitServiceConfig config;

    private List<List<HeaderEntry>> descriptors;

    void register(@Observes Router router) {
        descriptors = parse(config.check().descriptors());
        router.route("/v1/check").handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response();
        RateLimitQuery query;
        try {
            String domain = request.getHeader(DOMAIN_HEADER);
            query = RequestLimits.check(new RateLimitQuery(domain == null || domain.isBlank() ? config.check().domain() : domain,
                    fromHeaders(request), 1));
        } catch (InvalidRequestException e) {
            response.setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8").end(e.getMessage() + "\n");
            return;
        }
        decider.decide(query).subscribe().with(decision -> {
            decision.headers().forEach(h -> response.putHeader(h.name(), h.value()));
            response.setStatusCode(decision.overall() == Code.OVER_LIMIT ? denyStatus(request) : 204).end();
        }, failure -> {
            Log.warnf("rate-limit check failed: %s", failure.toString());
            response.setStatusCode(500).end();
        });
    }

    private static int denyStatus(HttpServerRequest request) {
        String asked = request.getHeader(DENY_STATUS_HEADER);
        return "401".equals(asked) ? 401 : "403".equals(asked) ? 403 : 429;
    }

    private List<RequestDescriptor> fromHeaders(HttpServerRequest request) {
        List<RequestDescriptor> built = new ArrayList<>();
        for (List<HeaderEntry> descriptor : descriptors) {
            List<DescriptorEntry> entries = new ArrayList<>();
            for (HeaderEntry entry : descriptor) {
                String value = request.getHeader(entry.header());
                if (value == null) {
                    break;
                }
                entries.add(new DescriptorEntry(entry.key(), value));
            }
            if (entries.size() == descriptor.size()) {
                built.add(RequestDescriptor.of(entries.toArray(DescriptorEntry[]::new)));
            }
        }
        if (built.isEmpty()) {
            throw new InvalidRequestException("none of the configured descriptor headers is present");
        }
        return built;
    }

    static List<List<HeaderEntry>> parse(List<String> specs) {
        List<List<HeaderEntry>> parsed = new ArrayList<>();
        for (String spec : specs) {
            List<HeaderEntry> entries = new ArrayList<>();
            for (String part : spec.split("\\+")) {
                String[] keyAndHeader = part.strip().split(":", 2);
                if (keyAndHeader.length != 2 || keyAndHeader[0].isBlank() || keyAndHeader[1].isBlank()) {
                    throw new IllegalArgumentException("meridian.ratelimit.check.descriptors: '" + spec
                            + "' is not key:Header[+key:Header...]");
                }
                entries.add(new HeaderEntry(keyAndHeader[0].strip(), keyAndHeader[1].strip()));
            }
            parsed.add(List.copyOf(entries));
        }
        return List.copyOf(parsed);
    }
}
