/** The router's configuration: the {@code meridian.router} mapping and backend URLs. */
package dev.meridian.router.config;
