/** Membership records in Redis, imbalance, drain and rebalance by paced disconnects. */
package dev.meridian.ws.cluster;
