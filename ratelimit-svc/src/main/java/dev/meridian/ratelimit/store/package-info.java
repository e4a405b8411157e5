/**
 * Counter stores: Redis (one Lua script per round trip, Redis server time, hash-tagged keys so it
 * runs on Redis Cluster) and an in-memory store for a single instance or for the fallback while
 * Redis is down. Both implement the same three algorithms with the same arithmetic.
 */
package dev.meridian.ratelimit.store;
