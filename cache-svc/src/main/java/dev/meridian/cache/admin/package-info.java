/** What operators call and see: purge, /health/cache, meters. */
package dev.meridian.cache.admin;
