/**
 * Server connections: opening and authenticating them, and one pool per event loop, backend,
 * database and role with size, wait, idle and lifetime limits.
 */
package dev.meridian.router.pool;
