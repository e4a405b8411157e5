/** Where a client is: an address (or EDNS Client Subnet) to a latitude/longitude, and distances on the globe. */
package dev.meridian.glb.geo;
