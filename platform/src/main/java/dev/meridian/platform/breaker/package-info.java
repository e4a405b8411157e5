/**
 * Circuit breakers: one named SmallRye Fault Tolerance guard per backend (a replica, a region, an
 * origin), created on demand because the backend set is dynamic, all sharing
 * {@code CB_FAILURE_THRESHOLD} and {@code CB_RESET_TIMEOUT}. Their state is visible as meters and at
 * {@code /health/circuit-breakers}; the {@code circuit-breaker} flag turns them all into pass-throughs.
 */
package dev.meridian.platform.breaker;
