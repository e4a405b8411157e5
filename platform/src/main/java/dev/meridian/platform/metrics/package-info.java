/** Meter naming: {@code meridian_<svc>_<thing>} with low-cardinality tags only. */
package dev.meridian.platform.metrics;
