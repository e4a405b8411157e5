package dev.meridian.glb.config;

/**
 * One health check of a region's endpoint.
 *
 * @param id   stable name for health pages and logs ({@code <region>/<n>})
 * @param kind HTTP(S) GET or TCP connect
 * @param host host to check
 * @param port port to check
 * @param path HTTP path (HTTP), or the service name asked of grpc.health.v1 (GRPC; empty: the server as a whole)
 * @param tls  HTTPS (HTTP only)
 * @param bodyContains the body must contain this (HTTP only; null: any 2xx/3xx passes)
 */
public record CheckSpec(String id, Kind kind, String host, int port, String path, boolean tls, String bodyContains) {

    public enum Kind { HTTP, TCP, GRPC }
}
