package dev.meridian.glb.config;

import java.time.Duration;

/**
 * Health-check pacing and hysteresis.
 *
 * @param rise consecutive passes that make a failed endpoint healthy again
 * @param fall consecutive failures that make a healthy endpoint failed
 */
public record HealthSettings(Duration interval, Duration timeout, int rise, int fall) {
}
