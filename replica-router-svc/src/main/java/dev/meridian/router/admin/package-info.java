/** What operators see: /health/replica-routing, /metrics/replica-routing, Prometheus meters, gRPC status. */
package dev.meridian.router.admin;
