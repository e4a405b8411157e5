/** gRPC: Envoy's RLS v3 {@code ShouldRateLimit} (wire-compatible) and Meridian's {@code meridian.ratelimit.v1}. */
package dev.meridian.ratelimit.grpc;
