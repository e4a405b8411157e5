/** Configuration (meridian.ws.*) and channel namespaces. */
package dev.meridian.ws.config;
