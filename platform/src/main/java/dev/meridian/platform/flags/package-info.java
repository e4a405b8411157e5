/**
 * Runtime flags: the rollback switches of DESIGN.md. Each instance starts from its {@code ENABLE_*}
 * environment, adopts the cluster-wide value in the Redis hash {@code meridian:flags}, and follows
 * changes published on the {@code meridian:control} stream, so one command rolls a feature back on
 * every instance within a second. Redis being away never stops a service: the last known values stand.
 */
package dev.meridian.platform.flags;
