/**
 * What every Meridian service shares: runtime flags with cluster-wide rollback, the circuit-breaker
 * registry and its health endpoint, Redis stream helpers and metric naming. Services depend on this
 * module and on {@code contracts/}, never on each other.
 */
package dev.meridian.platform;
