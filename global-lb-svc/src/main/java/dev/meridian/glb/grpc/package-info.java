/**
 * gRPC {@code meridian.glb.v1}: {@code Resolve} for applications that route without DNS, and
 * {@code Watch}, the observation stream peers read so regions fail over only on a quorum.
 */
package dev.meridian.glb.grpc;
