/** One client connection: its protocol state, commands, bounded send queue and limits. */
package dev.meridian.ws.session;
