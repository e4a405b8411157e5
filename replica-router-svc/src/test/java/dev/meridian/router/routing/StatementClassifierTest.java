package dev.meridian.router.routing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatementClassifierTest {

    private final StatementClassifier classifier = new StatementClassifier();

    private Route route(String sql) {
        return classifier.classify(sql).route();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM accounts WHERE id = $1",
        "select count(*) from (select 1) s",
        "TABLE accounts",
        "VALUES (1, 'a'), (2, 'b')",
        "SHOW server_version",
        "EXPLAIN SELECT * FROM t",
        "WITH recent AS (SELECT * FROM orders) SELECT * FROM recent",
        "(SELECT 1) UNION (SELECT 2)",
        "select 'insert into t values (1)' as text",
        "select $$ delete from t $$",
        "select \"update\" from t",
        "select last_update, deleted_at from t",
        "/* just a comment */ select 1",
        "select 1; select 2",
        "EXPLAIN ANALYZE SELECT 1",
    })
    void readsMayGoToAReplica(String sql) {
        assertEquals(Route.REPLICA, route(sql), sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "INSERT INTO t VALUES (1)",
        "update t set a = 1",
        "DELETE FROM t",
        "MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE",
        "SELECT * FROM t FOR UPDATE",
        "select * from t for no key update",
        "SELECT * FROM t FOR SHARE SKIP LOCKED",
        "select * from (select * from t for update) s",
        "SELECT nextval('s')",
        "select public.setval('s', 1)",
        "SELECT * INTO new_table FROM t",
        "WITH moved AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM moved",
        "WITH x AS (UPDATE t SET a = 1 RETURNING *) SELECT * FROM x",
        "EXPLAIN ANALYZE DELETE FROM t",
        "CREATE TABLE t (id int)",
        "select 1; insert into t values (1)",
        "select 'unterminated",
        "VACUUM t",
        "DO $$ BEGIN PERFORM 1; END $$",
        "",
        "   ",
        "select pg_notify('ch', 'x')",
    })
    void everythingElseGoesToThePrimary(String sql) {
        assertEquals(Route.PRIMARY, route(sql), sql);
    }

    @Test
    void commentHintsOverride() {
        assertEquals(Route.PRIMARY, route("/* meridian:primary */ SELECT * FROM t"));
        assertEquals(Route.REPLICA, route("SELECT nextval_free() /* meridian:replica */"));
        assertEquals("hint meridian:replica", classifier.classify("-- meridian:replica\nselect 1").reason());
    }

    @Test
    void transactionsAreRecognised() {
        assertEquals(TransactionEffect.BEGIN_DEFAULT, classifier.classify("BEGIN").transaction());
        assertEquals(TransactionEffect.BEGIN_DEFAULT, classifier.classify("begin work").transaction());
        assertEquals(TransactionEffect.BEGIN_DEFAULT, classifier.classify("START TRANSACTION").transaction());
        assertEquals(TransactionEffect.BEGIN, classifier.classify("BEGIN READ WRITE").transaction(), "its own access mode, not the session's");
        assertEquals(TransactionEffect.BEGIN, classifier.classify("START TRANSACTION ISOLATION LEVEL SERIALIZABLE").transaction());
        StatementInfo readOnly = classifier.classify("BEGIN READ ONLY");
        assertEquals(TransactionEffect.BEGIN_READ_ONLY, readOnly.transaction());
        assertEquals(Route.REPLICA, readOnly.route());
        assertEquals(TransactionEffect.BEGIN_READ_ONLY, classifier.classify("start transaction read only, isolation level repeatable read").transaction());
        assertEquals(TransactionEffect.SET_READ_ONLY, classifier.classify("SET TRANSACTION READ ONLY").transaction());
        assertEquals(TransactionEffect.BEGIN_DEFAULT, classifier.classify("BEGIN; SELECT 1").transaction());
        assertEquals(TransactionEffect.END, classifier.classify("COMMIT").transaction());
        assertEquals(TransactionEffect.END, classifier.classify("rollback").transaction());
        assertEquals(TransactionEffect.NONE, classifier.classify("ROLLBACK TO SAVEPOINT a").transaction());
        assertEquals(TransactionEffect.NONE, classifier.classify("COMMIT AND CHAIN").transaction(), "the next transaction starts at once");
        assertEquals(TransactionEffect.NONE, classifier.classify("rollback and chain").transaction());
        assertEquals(TransactionEffect.END, classifier.classify("COMMIT AND NO CHAIN").transaction());
        assertEquals(TransactionEffect.NONE, classifier.classify("BEGIN; SELECT 1; COMMIT").transaction());
    }

    @Test
    void plainSetsAreCarriedAsWritten() {
        assertAssigns("statement_timeout", "SET statement_timeout TO '5s'", "SET statement_timeout = '5s'");
        assertAssigns("work_mem", "SET work_mem TO 65536", "set session work_mem to 65536");
        assertAssigns("search_path", "SET search_path TO \"$user\", public", "SET search_path = \"$user\", public  ");
        assertAssigns("app.tenant_id", "SET app.tenant_id TO 42", "SET app.tenant_id = 42;");
        assertAssigns("app.tenant", "SET \"App\".\"Tenant\" TO E'it''s'", "SET \"App\".\"Tenant\" = E'it''s' -- the tenant");
        assertAssigns("extra_float_digits", "SET extra_float_digits TO -1", "SET extra_float_digits=-1");
        assertAssigns("synchronous_commit", "SET synchronous_commit TO off", "/* batch */ SET synchronous_commit TO off");
        assertAssigns("default_transaction_isolation", "SET default_transaction_isolation TO 'repeatable read'",
                "SET default_transaction_isolation = 'repeatable read'");
        assertAssigns("default_transaction_isolation", "SET default_transaction_isolation TO 'repeatable read'",
                "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        assertAssigns("default_transaction_isolation", "SET default_transaction_isolation TO 'read committed'",
                "set session characteristics as transaction isolation level read committed");
        StatementInfo set = classifier.classify("SET lock_timeout = '2s'");
        assertFalse(set.pinsSession());
        assertEquals(Route.REPLICA, set.route(), "runs anywhere");
    }

    @Test
    void setsThatAreNotCarriedPin() {
        for (String sql : new String[] {"SET ROLE admin", "SET role = admin", "SET SESSION AUTHORIZATION admin",
                "set session_authorization = admin", "SET SCHEMA 'app'", "SET NAMES 'UTF8'", "SET CONSTRAINTS ALL DEFERRED",
                "SET statement_timeout = '5s'; SELECT 1", "SET transaction_isolation = serializable",
                "SET default_transaction_isolation = 'SERIALIZABLE'"}) {
            StatementInfo info = classifier.classify(sql);
            assertTrue(info.pinsSession(), sql);
            assertNull(info.assignment(), sql);
        }
        assertNull(classifier.classify("SET LOCAL work_mem = 1024").assignment(), "lasts for its transaction only");
        assertNull(classifier.classify("SET TimeZone = 'UTC'").assignment(), "reported by PostgreSQL: carried from its ParameterStatus");
    }

    @Test
    void resetsOfCarriedSettingsAreCarriedToo() {
        assertAssigns("statement_timeout", "RESET statement_timeout", "RESET statement_timeout");
        assertAssigns("statement_timeout", "RESET statement_timeout", "reset statement_timeout;");
        assertAssigns("statement_timeout", "RESET statement_timeout", "SET statement_timeout TO DEFAULT");
        assertAssigns("work_mem", "RESET work_mem", "set session work_mem = default");
        assertAssigns("app.tenant", "RESET \"App\".\"Tenant\"", "RESET \"App\".\"Tenant\" -- done with the tenant");
        StatementInfo reset = classifier.classify("RESET lock_timeout");
        assertTrue(reset.assignment().resets());
        assertFalse(reset.pinsSession());
        assertEquals(Route.REPLICA, reset.route(), "runs anywhere");
        // back to a startup value in PostgreSQL, which on a pooled connection is the router's: pinned
        for (String sql : new String[] {"RESET ALL", "reset search_path", "RESET extra_float_digits", "RESET application_name",
                "SET search_path TO DEFAULT", "RESET ROLE", "RESET SESSION AUTHORIZATION", "RESET TIME ZONE",
                "RESET statement_timeout, work_mem", "SET LOCAL statement_timeout TO DEFAULT"}) {
            StatementInfo info = classifier.classify(sql);
            assertNull(info.assignment(), sql);
        }
    }

    private void assertAssigns(String name, String apply, String sql) {
        SettingAssignment assignment = classifier.classify(sql).assignment();
        assertNotNull(assignment, sql);
        assertEquals(name, assignment.name(), sql);
        assertEquals(apply, assignment.apply(), sql);
    }

    @Test
    void serializableReadOnlyTransactionsStayOnThePrimary() {
        // A hot standby refuses them: "cannot use serializable mode in a hot standby".
        StatementInfo begin = classifier.classify("BEGIN READ ONLY ISOLATION LEVEL SERIALIZABLE");
        assertEquals(TransactionEffect.BEGIN, begin.transaction());
        assertEquals(Route.PRIMARY, begin.route());
        assertEquals(TransactionEffect.BEGIN, classifier.classify("start transaction isolation level serializable, read only, deferrable").transaction());
        assertEquals(TransactionEffect.NONE, classifier.classify("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE READ ONLY").transaction());
        assertEquals(TransactionEffect.BEGIN_READ_ONLY, classifier.classify("BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ").transaction());
    }

    @Test
    void sessionStatePinsTheClient() {
        assertTrue(classifier.classify("SET ROLE reporting").pinsSession());
        // settings PostgreSQL reports back are carried by the router instead (pgjdbc sets application_name on connect)
        assertFalse(classifier.classify("SET application_name = 'PostgreSQL JDBC Driver'").pinsSession());
        assertFalse(classifier.classify("set session time zone 'UTC'").pinsSession());
        assertTrue(classifier.classify("SET statement_timeout = (5)").pinsSession(), "not a plain value");
        assertFalse(classifier.classify("SET LOCAL statement_timeout = '1s'").pinsSession());
        assertTrue(classifier.classify("LISTEN jobs").pinsSession());
        assertTrue(classifier.classify("CREATE TEMP TABLE scratch (id int)").pinsSession());
        assertTrue(classifier.classify("create table pg_temp.scratch (id int)").pinsSession());
        assertTrue(classifier.classify("CREATE UNLOGGED TABLE IF NOT EXISTS pg_temp.scratch AS SELECT 1").pinsSession());
        assertFalse(classifier.classify("create table kept (id int)").pinsSession());
        assertTrue(classifier.classify("SELECT pg_advisory_lock(42)").pinsSession());
        assertFalse(classifier.classify("SELECT pg_advisory_xact_lock(42)").pinsSession());
        assertEquals(Route.PRIMARY, route("SELECT pg_advisory_xact_lock(42)"));
        assertFalse(classifier.classify("select 1").pinsSession());
        assertTrue(classifier.classify("PREPARE by_id (int) AS SELECT * FROM t WHERE id = $1").pinsSession());
        // settings back to the server connection's defaults, which the router cannot tell from its clients' values
        assertTrue(classifier.classify("RESET ALL").pinsSession());
        assertTrue(classifier.classify("reset search_path").pinsSession());
        assertFalse(classifier.classify("DISCARD ALL").pinsSession(), "followed by the relay instead");
        assertTrue(classifier.classify("SET TIME ZONE DEFAULT").pinsSession());
        assertTrue(classifier.classify("SET TIME ZONE LOCAL").pinsSession());
        // default_transaction_read_only is reported back: carried like application_name
        assertFalse(classifier.classify("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY").pinsSession());
        assertFalse(classifier.classify("set session characteristics as transaction read write").pinsSession());
        assertFalse(classifier.classify("SET default_transaction_read_only = on").pinsSession());
        assertTrue(classifier.classify("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE").pinsSession());
        assertEquals(TransactionEffect.NONE, classifier.classify("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY").transaction(),
                "the session's later transactions, not the current one");
        assertTrue(classifier.classify("select pg_catalog.set_config('search_path', 'elsewhere', false)").pinsSession());
        assertTrue(classifier.classify("set application_name to default").pinsSession());
        assertFalse(classifier.classify("DISCARD PLANS").pinsSession());
        assertFalse(classifier.classify("SET LOCAL statement_timeout TO DEFAULT").pinsSession());
    }

    @Test
    void questionsAboutTheServersRoleGoToTheWriter() {
        // Read from the writer, not writes: read-your-writes has nothing to wait for after them.
        assertEquals(Route.PRIMARY_READ, route("show transaction_read_only"));
        assertEquals(Route.PRIMARY_READ, route("SHOW in_hot_standby"));
        assertEquals(Route.PRIMARY_READ, route("select pg_is_in_recovery()"));
        assertEquals(Route.PRIMARY_READ, route("SELECT pg_catalog.pg_is_in_recovery() AS standby"));
        assertEquals(Route.PRIMARY_READ, route("select 1; select pg_is_in_recovery()"));
        assertEquals(Route.PRIMARY, route("select pg_is_in_recovery(); insert into t values (1)"));
        assertEquals(Route.REPLICA, route("show server_version"));
        assertEquals(Route.REPLICA, route("select 'pg_is_in_recovery()'"));
    }

    @Test
    void statementsThatDropEveryPreparedStatementAreMarked() {
        assertTrue(classifier.classify("DEALLOCATE ALL").dropsPreparedStatements());
        assertTrue(classifier.classify("deallocate prepare all").dropsPreparedStatements());
        assertTrue(classifier.classify("DISCARD ALL").dropsPreparedStatements());
        assertTrue(classifier.classify("/* meridian:primary */ DEALLOCATE ALL").dropsPreparedStatements(), "a hint keeps it");
        assertTrue(classifier.classify("select 1; deallocate all").dropsPreparedStatements(), "inside several statements too");
        assertFalse(classifier.classify("DEALLOCATE by_id").dropsPreparedStatements());
        assertFalse(classifier.classify("DISCARD PLANS").dropsPreparedStatements());
        assertFalse(classifier.classify("select 'deallocate all'").dropsPreparedStatements());
        assertEquals(Route.PRIMARY_READ, route("DISCARD ALL"), "on the writer, but not a write");
    }

    @Test
    void theWritingFunctionListIsConfigurable() {
        StatementClassifier custom = new StatementClassifier(java.util.Set.of("audit_touch"));
        assertEquals(Route.PRIMARY, custom.classify("select audit_touch(1)").route());
        assertEquals(Route.REPLICA, custom.classify("select nextval('s')").route());
    }
}
