/** Where responses are kept: L1 (Caffeine, bytes-bounded), L2 (Redis, shared), purges and their broadcast. */
package dev.meridian.cache.store;
