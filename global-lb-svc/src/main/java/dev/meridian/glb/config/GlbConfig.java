package dev.meridian.glb.config;

import org.xbill.DNS.Name;

import java.util.List;
import java.util.Optional;

/**
 * Everything global-lb-svc serves.
 *
 * @param zone           the zone it is authoritative for
 * @param ttl            default TTL of answers
 * @param nameservers    NS names of the zone
 * @param hostmaster     SOA RNAME
 * @param primaryRegion  the only region answered while the global-lb flag is off
 * @param fallbackRegion where clients of unknown location go (if healthy)
 */
public record GlbConfig(Name zone, long ttl, List<Name> nameservers, Name hostmaster, String primaryRegion,
        String fallbackRegion, HealthSettings health, List<RegionConfig> regions, List<GlobalName> names) {

    public Optional<RegionConfig> region(String name) {
        return regions.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
