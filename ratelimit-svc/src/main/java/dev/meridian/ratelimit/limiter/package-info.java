/**
 * The decision: match a request's descriptors against the config, drop replaced limits, check and
 * count the rest in the counter store (one round trip; an over-limit cache and a local fallback
 * when Redis is down), and turn the outcomes into per-descriptor statuses, an overall code and
 * response headers. Independent of the wire: gRPC and HTTP adapt to it.
 */
package dev.meridian.ratelimit.limiter;
