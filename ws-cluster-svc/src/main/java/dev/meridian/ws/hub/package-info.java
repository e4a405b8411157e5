/** Per-channel delivery on this node: subscribers admitted at a known offset, publications delivered in offset order, gaps filled from history, lost positions turned into resubscribes. */
package dev.meridian.ws.hub;
