/** The regions, their health checks, the zone and the global names with their policies, read from one YAML file. */
package dev.meridian.glb.config;
