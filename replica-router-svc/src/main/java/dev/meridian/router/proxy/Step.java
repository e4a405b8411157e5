package dev.meridian.router.proxy;

import dev.meridian.router.routing.SettingAssignment;
import io.vertx.core.buffer.Buffer;

/**
 * One client message as the relay will send it, decided when it arrived (so a later Parse of the
 * same name cannot change what an earlier Bind meant) and turned into bytes once the server
 * connection is known (so statements it lacks can be prepared on it first).
 */
sealed interface Step {

    /** Sent as received; {@code expect} is the reply it produces (null for Flush). */
    record Raw(Buffer bytes, ResponseSequencer.Kind expect) implements Step {
    }

    /**
     * Sent as received, and when it succeeds the server connection has none of the prepared
     * statements it had when it was sent (DEALLOCATE ALL, DISCARD ALL).
     */
    record DropsPrepared(Buffer bytes, ResponseSequencer.Kind expect) implements Step {
    }

    /**
     * Sent as received: a SET the router carries ({@code expect} QUERY or EXECUTE); when it has
     * succeeded outside a transaction, the client and this server connection have the setting.
     */
    record Assigns(Buffer bytes, ResponseSequencer.Kind expect, SettingAssignment assignment) implements Step {
    }

    /**
     * A client's Parse: sent under the router's name unless the backend already has the statement;
     * {@code change} is taken back if the backend refuses or skips it.
     */
    record Prepare(ClientStatement statement, StatementChange change) implements Step {
    }

    /**
     * A client's Parse of a name it has open: PostgreSQL analyses the statement, then refuses the
     * name (42P05) and leaves the open statement as it was. The backend is made to do the same, by
     * parsing it under its server-side name twice, so that what follows is skipped up to Sync there too.
     */
    record PrepareOpenName(ClientStatement statement, String clientName) implements Step {
    }

    /**
     * Bind or Describe of a statement, rewritten to its server-side name; {@code original}, as the
     * client sent it, goes instead if the statement's Parse turns out to have failed or been skipped.
     */
    record Use(ClientStatement statement, Buffer bytes, ResponseSequencer.Kind expect, Buffer original) implements Step {
    }

    /**
     * A reply the router gives without asking a backend (CloseComplete for a statement it keeps);
     * {@code change}, if any, is taken back if an error before it makes the backend skip the rest.
     */
    record Synthetic(Buffer message, StatementChange change) implements Step {
    }
}
