/** The client protocol's frames: commands parsed from JSON lines, replies and pushes built, error and disconnect codes. Pure functions, no sockets. */
package dev.meridian.ws.protocol;
