package dev.meridian.cache.cdn;

import dev.meridian.cache.config.CacheConfig;
import dev.meridian.cache.store.Purge;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CDNs configured in front of the edge. A purge made through Meridian's API is passed on to
 * each; a CDN's failure is reported (and logged), it does not undo the purge at the edge.
 */
@ApplicationScoped
public class CdnPurges {

    @Inject
    CacheConfig config;

    private final List<CdnPurger> purgers = new ArrayList<>();

    void onStart(@Observes StartupEvent event) {
        CacheConfig.Cdn cdn = config.cdn();
        String publicUrl = cdn.publicUrl().orElse(null);
        if (cdn.cloudflare().enabled()) {
            String zone = cdn.cloudflare().zoneId().orElseThrow(() -> new IllegalArgumentException("Cloudflare purging needs CACHE_CLOUDFLARE_ZONE"));
            String token = required(cdn.cloudflare().apiToken(), "CLOUDFLARE_API_TOKEN");
            if (publicUrl == null) {
                throw new IllegalArgumentException("Cloudflare purging needs CACHE_PUBLIC_URL to turn paths into URLs");
            }
            purgers.add(new CloudflarePurger(cdn.cloudflare().baseUrl(), zone, token, publicUrl));
        }
        if (cdn.cloudfront().enabled()) {
            String distribution = cdn.cloudfront().distributionId().orElseThrow(() ->
                    new IllegalArgumentException("CloudFront purging needs CACHE_CLOUDFRONT_DISTRIBUTION"));
            purgers.add(new CloudFrontPurger(cdn.cloudfront().baseUrl(), distribution, required(cdn.cloudfront().accessKeyId(), "AWS_ACCESS_KEY_ID"),
                    required(cdn.cloudfront().secretAccessKey(), "AWS_SECRET_ACCESS_KEY"), cdn.cloudfront().sessionToken().orElse(null),
                    Clock.systemUTC()));
        }
        purgers.forEach(p -> Log.infof("cdn purging enabled: %s", p.name()));
    }

    private static String required(java.util.Optional<String> value, String variable) {
        return value.filter(v -> !v.isBlank()).orElseThrow(() ->
                new IllegalArgumentException("CDN purging is enabled but " + variable + " is not set"));
    }

    /** Passes the purge on to every CDN; one outcome line each. Blocking. */
    public Map<String, String> purge(Purge purge) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (CdnPurger purger : purgers) {
            try {
                outcomes.put(purger.name(), purger.purge(purge));
            } catch (Exception e) {
                Log.warnf("cdn=%s purge failed: %s", purger.name(), e.getMessage());
                outcomes.put(purger.name(), "failed: " + e.getMessage());
            }
        }
        return outcomes;
    }

    public boolean any() {
        return !purgers.isEmpty();
    }
}
