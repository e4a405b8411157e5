/**
 * Rate-limit configuration in envoyproxy/ratelimit's YAML format plus Meridian's extensions
 * (algorithms, window multiples, several limits per descriptor, per-domain failure mode): parsing
 * with positions for every error, validation, descriptor matching, and hot reload of a directory.
 */
package dev.meridian.ratelimit.config;
