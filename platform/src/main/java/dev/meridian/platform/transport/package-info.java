/**
 * Transport helpers below the protocols: letting the answers that one event-loop turn completes
 * leave a connection in one write instead of one write (and one system call) each.
 */
package dev.meridian.platform.transport;
