/** Cache warming: URL lists, globs over sitemaps, jobs with progress and a per-URL report. */
package dev.meridian.cache.warm;
