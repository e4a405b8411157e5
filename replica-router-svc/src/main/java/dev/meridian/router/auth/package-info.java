/**
 * Who may use the router: SCRAM-SHA-256 (server side for clients, client side for backends), MD5,
 * and where secrets come from (a PgBouncer userlist, an auth query on the primary).
 */
package dev.meridian.router.auth;
