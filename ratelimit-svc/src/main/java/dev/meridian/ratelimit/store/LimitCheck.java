package dev.meridian.ratelimit.store;

import dev.meridian.ratelimit.config.Algorithm;

/**
 * One limit to check and count.
 *
 * @param key          the counter's key (without the store's prefix); its {@code {…}} hash tag keeps a
 *                     descriptor's limits on one Redis Cluster slot
 * @param algorithm    how to count
 * @param limit        hits allowed per window
 * @param windowMillis the window
 * @param hits         hits to add; 0 checks without counting
 * @param group        checks of one group (one descriptor) are all-or-nothing for the algorithms
 *                     that do not count denied hits
 */
public record LimitCheck(String key, Algorithm algorithm, long limit, long windowMillis, long hits, int group) {
}
