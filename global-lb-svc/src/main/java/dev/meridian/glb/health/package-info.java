/**
 * Endpoint and region health: HTTP and TCP checks on a fixed interval, rise/fall hysteresis so a
 * flapping endpoint does not flap answers, and a region's health from its share of healthy endpoints.
 */
package dev.meridian.glb.health;
