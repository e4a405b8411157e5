/** cache-svc's configuration. */
package dev.meridian.cache.config;
