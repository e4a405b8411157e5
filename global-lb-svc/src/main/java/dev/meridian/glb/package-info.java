/** global-lb-svc: region health checking and an authoritative GeoDNS server with failover. */
package dev.meridian.glb;
