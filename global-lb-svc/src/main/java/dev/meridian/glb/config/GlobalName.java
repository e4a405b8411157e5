package dev.meridian.glb.config;

import org.xbill.DNS.Name;

/** A name the server answers for, the policy that picks its region, and the TTL of its answers. */
public record GlobalName(Name name, Policy policy, long ttl) {
}
