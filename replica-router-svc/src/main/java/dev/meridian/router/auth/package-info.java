/**
 * Client authentication done by the router itself, as PgBouncer does: SCRAM-SHA-256 (RFC 5802 /
 * RFC 7677, without channel binding) and MD5, against secrets from a userlist or an auth query.
 */
package dev.meridian.router.auth;
