/** Where channels live: history with contiguous offsets and epochs, fan-out between nodes and presence, in Redis (shared) or in memory (one node). */
package dev.meridian.ws.broker;
