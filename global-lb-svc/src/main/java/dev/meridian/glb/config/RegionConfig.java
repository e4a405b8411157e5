package dev.meridian.glb.config;

import java.net.InetAddress;
import java.util.List;

/**
 * A region: where it is, what it answers with, how much traffic it takes and how it is checked.
 *
 * @param healthyShare the region is healthy while at least this share of its checks pass
 * @param biasKm       subtracted from the distance to this region in geoproximity (draws traffic in)
 */
public record RegionConfig(String name, List<InetAddress> ipv4, List<InetAddress> ipv6, double latitude, double longitude,
        int weight, int priority, double biasKm, double healthyShare, List<CheckSpec> checks) {
}
