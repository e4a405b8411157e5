/**
 * Precomputed answers: rebuilt whenever health, config or the global-lb flag changes, so a query
 * is a lookup (a grid cell for geoproximity, a fixed region for failover, a weighted or rotating pick).
 */
package dev.meridian.glb.answer;
