/**
 * Redis stream helpers: a tail that follows one stream from a given id (or from its end), survives
 * Redis restarts with capped exponential backoff, and resumes where it left off so no entry is
 * skipped silently. Flags use it for {@code meridian:control}; cache invalidation and WebSocket
 * fan-out build on it.
 */
package dev.meridian.platform.redis;
