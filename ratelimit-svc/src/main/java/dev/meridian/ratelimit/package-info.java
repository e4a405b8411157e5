/**
 * ratelimit-svc: distributed rate-limit decisions for Envoy (RLS v3 gRPC), nginx ({@code auth_request})
 * and applications, with counters in Redis so every instance agrees.
 */
package dev.meridian.ratelimit;
