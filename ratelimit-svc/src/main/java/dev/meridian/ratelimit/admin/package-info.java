/** Operating ratelimit-svc: metrics per domain and rule, recent over-limit counts, {@code /health/rate-limits}. */
package dev.meridian.ratelimit.admin;
