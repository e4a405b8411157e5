/**
 * The independent prober: every backend's recovery state, WAL replay position and replay delay,
 * and the primary's WAL position sampled often enough for read-your-writes. Only the prober
 * ejects a backend; errors on client sessions never do.
 */
package dev.meridian.router.probe;
