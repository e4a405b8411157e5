/**
 * The authoritative DNS server: dnsjava for the wire format, Vert.x UDP and TCP sockets, and a pure
 * responder (query bytes and client address in, response bytes out) that tests drive without sockets.
 */
package dev.meridian.glb.dns;
