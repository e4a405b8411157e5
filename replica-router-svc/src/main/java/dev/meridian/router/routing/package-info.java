/**
 * Where a statement may run: a SQL lexer that understands PostgreSQL's comments (nested), quoted
 * identifiers, string and dollar-quoted literals, and a classifier over its tokens (no regular
 * expressions over raw SQL) that decides replica or primary and what the statement does to the
 * session and its transaction.
 */
package dev.meridian.router.routing;
