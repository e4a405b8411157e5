/** Operators' and applications' surfaces: HTTP API, gRPC, health, readiness while draining, metrics. */
package dev.meridian.ws.admin;
