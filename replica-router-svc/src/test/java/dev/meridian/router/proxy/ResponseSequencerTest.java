package dev.meridian.router.proxy;

import dev.meridian.router.pool.PreparedStatements;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import dev.meridian.router.pool.PreparedStatements;

import static dev.meridian.router.proxy.ResponseSequencer.Kind.BIND;
import static dev.meridian.router.proxy.ResponseSequencer.Kind.EXECUTE;
import static dev.meridian.router.proxy.ResponseSequencer.Kind.HIDDEN_CLOSE;
import static dev.meridian.router.proxy.ResponseSequencer.Kind.HIDDEN_PARSE;
import static dev.meridian.router.proxy.ResponseSequencer.Kind.HIDDEN_QUERY;
import static dev.meridian.router.proxy.ResponseSequencer.Kind.HIDDEN_SYNC;
import static dev.meridian.router.proxy.ResponseSequencer.Kind.PARSE;
import static dev.meridian.router.proxy.ResponseSequencer.Kind.PARSE_OPEN_NAME;
import static dev.meridian.router.proxy.ResponseSequencer.Kind.QUERY;
import static dev.meridian.router.proxy.ResponseSequencer.Kind.SYNC;
import static dev.meridian.router.proxy.ResponseSequencer.Verdict.DROP;
import static dev.meridian.router.proxy.ResponseSequencer.Verdict.FORWARD;
import static dev.meridian.router.proxy.ResponseSequencer.Verdict.FORWARD_AS_NOTICE;
import static dev.meridian.router.proxy.ResponseSequencer.Verdict.FORWARD_FOR_CLIENT_NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseSequencerTest {

    private final ResponseSequencer sequencer = new ResponseSequencer();
    private final PreparedStatements prepared = new PreparedStatements(10);

    @Test
    void aSyntheticParseCompleteComesOutBeforeTheBackendsBindComplete() {
        // given: Parse answered by the router (statement already on the backend), then Bind, Execute, Sync
        sequencer.synthetic(Buffer.buffer("1"));
        sequencer.expect(BIND);
        sequencer.expect(EXECUTE);
        sequencer.expect(SYNC);
        Buffer out = Buffer.buffer();

        // when
        sequencer.emitDue(out);

        // then: the synthetic reply is due at once, the backend's replies pass in order
        assertEquals("1", out.toString());
        assertEquals(FORWARD, sequencer.accept((byte) '2', prepared));
        assertEquals(FORWARD, sequencer.accept((byte) 'D', prepared));
        assertEquals(FORWARD, sequencer.accept((byte) 'C', prepared));
        assertEquals(FORWARD, sequencer.accept((byte) 'Z', prepared));
        assertTrue(sequencer.idle());
    }

    @Test
    void aSyntheticReplyInTheMiddleWaitsForTheRepliesBeforeIt() {
        sequencer.expect(BIND);
        sequencer.synthetic(Buffer.buffer("3"));
        sequencer.expect(SYNC);
        Buffer out = Buffer.buffer();
        sequencer.emitDue(out);
        assertEquals(0, out.length());

        assertEquals(FORWARD, sequencer.accept((byte) '2', prepared));
        sequencer.emitDue(out);
        assertEquals("3", out.toString());
    }

    @Test
    void theParseCompleteOfAnInjectedParseIsHidden() {
        sequencer.expect(HIDDEN_PARSE, "meridian_1");
        sequencer.expect(BIND);
        sequencer.expect(SYNC);
        assertEquals(DROP, sequencer.accept((byte) '1', prepared));
        assertEquals(FORWARD, sequencer.accept((byte) '2', prepared));
        assertEquals(FORWARD, sequencer.accept((byte) 'Z', prepared));
    }

    @Test
    void anErrorSkipsToSyncAndForgetsTheStatementThatFailedToPrepare() {
        // given
        prepared.add("meridian_7");
        sequencer.expect(PARSE, "meridian_7");
        sequencer.synthetic(Buffer.buffer("never"));
        sequencer.expect(BIND);
        sequencer.expect(SYNC);

        // when: the Parse fails
        assertEquals(FORWARD, sequencer.accept((byte) 'E', prepared));
        Buffer out = Buffer.buffer();
        sequencer.emitDue(out);

        // then: nothing else is due before ReadyForQuery, and the name is no longer believed prepared
        assertEquals(0, out.length());
        assertFalse(prepared.use("meridian_7"));
        assertEquals(FORWARD, sequencer.accept((byte) 'Z', prepared));
        assertTrue(sequencer.idle());
    }

    @Test
    void hiddenQueriesAreDroppedWholeAndTheirErrorsBecomeNotices() {
        sequencer.expect(HIDDEN_QUERY);
        sequencer.expect(QUERY);
        assertEquals(DROP, sequencer.accept((byte) 'T', prepared));
        assertEquals(DROP, sequencer.accept((byte) 'S', prepared));
        assertEquals(FORWARD_AS_NOTICE, sequencer.accept((byte) 'E', prepared));
        assertEquals(DROP, sequencer.accept((byte) 'Z', prepared));
        assertFalse(sequencer.idle(), "the hidden query's ReadyForQuery is not the client's");
        assertEquals(FORWARD, sequencer.accept((byte) 'E', prepared));
        assertEquals(FORWARD, sequencer.accept((byte) 'Z', prepared));
        assertTrue(sequencer.idle());
    }

    @Test
    void notificationsPassEvenWhenNothingIsExpected() {
        assertEquals(FORWARD, sequencer.accept((byte) 'A', prepared));
        assertEquals(FORWARD, sequencer.accept((byte) 'N', prepared));
    }

    @Test
    void aCloseTheRouterSlipsInIsHiddenAndOneSkippedByAnErrorLeavesTheStatementKnown() {
        // given: meridian_1 pushed out (to make room for meridian_2) in front of the client's Sync
        prepared.add("meridian_2");
        sequencer.expect(HIDDEN_CLOSE, "meridian_1");
        sequencer.expect(SYNC);

        // then: its CloseComplete stays with the router
        assertEquals(DROP, sequencer.accept((byte) '3', prepared));
        assertEquals(FORWARD, sequencer.accept((byte) 'Z', prepared));

        // and when the backend skips such a Close, the statement is still on it
        sequencer.expect(BIND);
        sequencer.expect(HIDDEN_CLOSE, "meridian_2");
        sequencer.expect(SYNC);
        prepared.remove("meridian_2");
        assertEquals(FORWARD, sequencer.accept((byte) 'E', prepared));
        assertTrue(prepared.use("meridian_2"));
        assertEquals(FORWARD, sequencer.accept((byte) 'Z', prepared));
        assertTrue(sequencer.idle());
    }

    @Test
    void anErrorTakesBackTheStatementChangesOfTheFailedParseAndOfEverythingSkippedAfterIt() {
        // given: Parse s1 (fails), a Close answered here, Bind, Sync; then a batch the error does not touch
        StatementChange parsed = new StatementChange("s1", null, statement());
        StatementChange closed = new StatementChange("s2", statement(), null);
        sequencer.expect(PARSE, "meridian_1", parsed);
        sequencer.synthetic(Buffer.buffer("3"), closed);
        sequencer.expect(BIND);
        sequencer.expect(SYNC);
        sequencer.expect(PARSE, "meridian_2", new StatementChange("s3", null, statement()));
        sequencer.expect(SYNC);

        // when
        assertEquals(FORWARD, sequencer.accept((byte) 'E', prepared));

        // then: the Parse refused, the Close skipped (its CloseComplete never sent), in the client's order
        assertEquals(java.util.List.of(new StatementChange.Undone(parsed, true), new StatementChange.Undone(closed, false)),
                sequencer.takeUndone());
        assertEquals(null, sequencer.takeUndone());
        assertFalse(sequencer.syntheticDue());
        assertEquals(FORWARD, sequencer.accept((byte) 'Z', prepared));
        assertEquals(FORWARD, sequencer.accept((byte) '1', prepared));
        assertEquals(FORWARD, sequencer.accept((byte) 'Z', prepared));
        assertEquals(null, sequencer.takeUndone());
        assertTrue(sequencer.idle());
    }

    @Test
    void aSuccessfulBatchTakesNothingBack() {
        sequencer.expect(PARSE, null, new StatementChange("", null, statement()));
        sequencer.expect(BIND);
        sequencer.expect(EXECUTE);
        sequencer.expect(SYNC);
        for (char reply : "12CZ".toCharArray()) {
            assertEquals(FORWARD, sequencer.accept((byte) reply, prepared));
        }
        assertEquals(null, sequencer.takeUndone());
    }

    @Test
    void aQuerySentBeforeTheSyncIsSkippedWithTheRestOfAFailedBatch() {
        // given: Parse, a simple Query and Sync, sent in that order
        sequencer.expect(PARSE);
        sequencer.expect(QUERY);
        sequencer.expect(SYNC);

        // when: the Parse fails, PostgreSQL ignores the Query too and answers the Sync alone
        assertEquals(FORWARD, sequencer.accept((byte) 'E', prepared));

        // then: the next ReadyForQuery is the Sync's, and nothing is left expected
        assertEquals(FORWARD, sequencer.accept((byte) 'Z', prepared));
        assertTrue(sequencer.idle());
    }

    @Test
    void theRefusalOfAnOpenNameIsToldWithTheClientsNameAndLeavesTheServerStatement() {
        // given: the server has the statement; the client's second Parse of "mine" is sent again under its server name
        prepared.add("meridian_9");
        sequencer.expect(PARSE_OPEN_NAME, "mine");
        sequencer.expect(SYNC);

        // when: the backend finds the name taken
        assertEquals(FORWARD_FOR_CLIENT_NAME, sequencer.accept((byte) 'E', prepared));

        // then
        assertEquals("mine", sequencer.refusedName());
        assertTrue(prepared.use("meridian_9"));
        assertEquals(FORWARD, sequencer.accept((byte) 'Z', prepared));
        assertTrue(sequencer.idle());
    }

    @Test
    void anErrorInAFlushedBatchLeavesTheBackendSkippingWhatIsSentNext() {
        // given: Parse, Bind, Execute and Flush: no Sync outstanding
        sequencer.expect(PARSE);
        sequencer.expect(BIND);
        sequencer.expect(EXECUTE);

        assertEquals(FORWARD, sequencer.accept((byte) 'E', prepared));

        // then: what the client sends up to its Sync will be skipped, and the router is told once
        assertTrue(sequencer.idle());
        assertTrue(sequencer.takeSkipsToSync());
        assertFalse(sequencer.takeSkipsToSync());
    }

    @Test
    void anErrorBeforeAHiddenSyncEndsTheBackendsSkippingButNotTheClients() {
        // given: a flushed read on a replica, then the Sync the router sends before moving the batch
        sequencer.expect(EXECUTE);
        sequencer.expect(HIDDEN_SYNC);

        assertEquals(FORWARD, sequencer.accept((byte) 'E', prepared));
        assertTrue(sequencer.takeSkipsToSync(), "the client's messages up to its Sync are still to be skipped");

        // and the hidden Sync's ReadyForQuery stays with the router
        assertEquals(DROP, sequencer.accept((byte) 'Z', prepared));
        assertTrue(sequencer.idle());
    }

    @Test
    void anErrorWithTheClientsSyncOutstandingSkipsNothingMore() {
        sequencer.expect(BIND);
        sequencer.expect(EXECUTE);
        sequencer.expect(SYNC);

        assertEquals(FORWARD, sequencer.accept((byte) 'E', prepared));

        assertFalse(sequencer.takeSkipsToSync());
        assertEquals(FORWARD, sequencer.accept((byte) 'Z', prepared));
    }

    private static ClientStatement statement() {
        return new ClientStatement("", new byte[] {'s', 0, 0, 0}, null);
    }
}
