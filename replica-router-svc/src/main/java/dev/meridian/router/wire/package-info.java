/**
 * The PostgreSQL frontend/backend protocol 3.0 as pure functions over byte buffers: framing of the
 * untyped startup packets and the typed messages, with limits, and encoders for the messages the
 * router writes itself (ErrorResponse with SQLSTATE, authentication requests, ParameterStatus…).
 * Nothing here touches a socket, so all of it is tested with bytes.
 */
package dev.meridian.router.wire;
