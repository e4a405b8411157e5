package dev.meridian.router.proxy;

/**
 * What a client's Parse or Close did to its own prepared statements, taken back when PostgreSQL
 * would not have done it: the Parse failed, or an error earlier in the batch made the backend skip
 * the message (the router records the change when the message arrives, before any reply).
 *
 * @param name   the client's statement name; empty for the unnamed statement
 * @param before what the name meant before the message (null: nothing)
 * @param after  what the message made it mean (null: the message closed it)
 */
record StatementChange(String name, ClientStatement before, ClientStatement after) {

    /** The change as the backend left it: {@code failed} (the message itself was refused) or skipped. */
    record Undone(StatementChange change, boolean failed) {
    }
}
