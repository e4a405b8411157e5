/** The edge: the HTTP listener, the per-request caching flow, the origin client and request coalescing. */
package dev.meridian.cache.proxy;
