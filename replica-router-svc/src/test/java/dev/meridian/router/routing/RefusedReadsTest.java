package dev.meridian.router.routing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefusedReadsTest {

    private final RefusedReads refused = new RefusedReads();
    private final StatementClassifier classifier = new StatementClassifier(StatementClassifier.DEFAULT_WRITING_FUNCTIONS, refused);

    /** The fields as PostgreSQL 15's standbys send them (seen with VERBOSITY verbose on the local replicas). */
    @Test
    void aStandbysRefusalIsToldFromTheErrorsCodeAndOrigin() {
        assertEquals(RefusedReads.Refusal.WRITES, RefusedReads.of("25006", "PreventCommandIfReadOnly", "utility.c"));
        assertEquals(RefusedReads.Refusal.WRITES, RefusedReads.of("25006", "PreventCommandDuringRecovery", "utility.c"));
        assertEquals(RefusedReads.Refusal.SERIALIZABLE, RefusedReads.of("0A000", "GetSerializableTransactionSnapshot", "predicate.c"));
        assertEquals(RefusedReads.Refusal.PRIMARY_ONLY, RefusedReads.of("55000", "pg_current_wal_lsn", "xlogfuncs.c"));
        // The same codes for reasons a primary shares: the client gets them as they are.
        assertNull(RefusedReads.of("55000", "currval_oid", "sequence.c"), "currval before nextval in this session");
        assertNull(RefusedReads.of("0A000", "transformSelectStmt", "analyze.c"));
        assertNull(RefusedReads.of("42P01", null, null));
        assertNull(RefusedReads.of(null, null, null));
    }

    @Test
    void aShapeIgnoresLiteralsCaseAndComments() {
        assertEquals("select add_row ( ? , ? )", RefusedReads.shape("SELECT add_row('it''s', 42)"));
        assertEquals(RefusedReads.shape("select add_row('a', 1)"), RefusedReads.shape("/* app */ select  ADD_ROW( 'b' ,7 )"));
        assertEquals("select add_row ( $1 )", RefusedReads.shape("select add_row($1)"));
        assertEquals("select \"Add\"\"Row\" ( )", RefusedReads.shape("select \"Add\"\"Row\"()"));
        assertFalse(RefusedReads.shape("select add_row(1)").equals(RefusedReads.shape("select add_rows(1)")));
        assertNull(RefusedReads.shape("select 'unterminated"));
    }

    @Test
    void aRefusedStatementGoesToThePrimaryFromThenOnAsAWrite() {
        assertEquals(Route.REPLICA, classifier.classify("select add_row('a')").route());
        assertTrue(refused.learn(RefusedReads.shape("select add_row('a')"), RefusedReads.Refusal.WRITES));
        assertFalse(refused.learn(RefusedReads.shape("select add_row('b')"), RefusedReads.Refusal.WRITES), "already known");

        StatementInfo learned = classifier.classify("SELECT add_row('c')");
        assertEquals(Route.PRIMARY, learned.route());
        assertEquals("refused by a standby before", learned.reason());
        assertEquals(Route.REPLICA, classifier.classify("select add_row").route(), "not a call of it");
        assertEquals(Route.REPLICA, classifier.classify("/* meridian:replica */ select add_row('c')").route(), "the hint wins");
        assertEquals(List.of("writes: select add_row ( ? )"), refused.statements(10));
    }

    @Test
    void learningStopsAtItsBound() {
        for (int i = 0; i < RefusedReads.MAX_STATEMENTS; i++) {
            assertTrue(refused.learn("select f" + i + " ( )", RefusedReads.Refusal.WRITES));
        }
        assertFalse(refused.learn("select one_more ( )", RefusedReads.Refusal.WRITES));
        assertEquals(RefusedReads.MAX_STATEMENTS, refused.statementCount());
        assertEquals(5, refused.statements(5).size());
    }

    @Test
    void aRolesReadsStayOnThePrimaryForAWhileThenAReplicaIsTriedAgain() {
        long now = 1_000_000_000_000L;
        assertFalse(refused.roleRefused("app/alice", now));
        refused.refuseRole("app/alice", now);
        assertTrue(refused.roleRefused("app/alice", now + RefusedReads.ROLE_MEMORY_NANOS));
        assertFalse(refused.roleRefused("app/bob", now));
        assertEquals(List.of("app/alice"), refused.roles(now));
        assertFalse(refused.roleRefused("app/alice", now + RefusedReads.ROLE_MEMORY_NANOS + 1));
        assertEquals(List.of(), refused.roles(now), "forgotten once expired");
    }
}
