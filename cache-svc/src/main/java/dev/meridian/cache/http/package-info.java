/** HTTP caching semantics as pure functions: RFC 9111 storability, freshness and age, RFC 5861 stale windows, RFC 9213 targeted fields. */
package dev.meridian.cache.http;
