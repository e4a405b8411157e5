/**
 * The PostgreSQL wire listener and the life of a client connection: startup, authentication,
 * statement routing per transaction, prepared statements across pooled backends, replies
 * sequenced back to the client, cancel, and the reset of connections pinned clients leave.
 */
package dev.meridian.router.proxy;
