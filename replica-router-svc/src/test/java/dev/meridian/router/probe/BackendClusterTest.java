package dev.meridian.router.probe;

import dev.meridian.router.config.BackendAddress;
import dev.meridian.router.routing.Consistency;
import dev.meridian.router.routing.TargetSelector;
import dev.meridian.router.routing.WriteLedger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendClusterTest {

    private final BackendCluster cluster = new BackendCluster(BackendAddress.parse("primary", "postgresql://u:p@db0:5432/app"),
            List.of(BackendAddress.parse("replica-1", "postgresql://u:p@db1:5432/app"),
                    BackendAddress.parse("replica-2", "postgresql://u:p@db2:5432/app?weight=3")));
    private final BackendNode primary = cluster.nodes().get(0);
    private final BackendNode replica1 = cluster.nodes().get(1);
    private final BackendNode replica2 = cluster.nodes().get(2);
    private final WriteLedger writes = new WriteLedger();
    private final TargetSelector selector = new TargetSelector(cluster, Consistency.READ_YOUR_WRITES, 1000, Duration.ofSeconds(5), 0,
            () -> true, node -> false, writes);

    /** A writer on timeline 1, or a standby whose streamed timeline the prober cannot see. */
    private void up(BackendNode node, boolean recovering, long lsn, long lagBytes) {
        up(node, recovering, recovering ? 0 : 1, lsn, lagBytes);
    }

    /** What the prober does with a good probe: record it, then decide the writer again. */
    private void up(BackendNode node, boolean recovering, long timeline, long lsn, long lagBytes) {
        node.observed(recovering, timeline, lsn, lagBytes, 0, System.nanoTime());
        node.health(BackendNode.Health.UP);
        cluster.reconsiderWriter();
    }

    private void down(BackendNode node) {
        node.health(BackendNode.Health.DOWN);
        cluster.reconsiderWriter();
    }

    /** The primary, replica-1 and replica-2 after replica-1 was promoted (timeline 2) with the primary down. */
    private void failedOverToReplica1() {
        up(primary, false, 1, 100, 0);
        up(replica1, true, 100, 0);
        up(replica2, true, 100, 0);
        assertSame(primary, cluster.writer());
        down(primary);
        up(replica1, false, 2, 120, 0);
    }

    @Test
    void aPromotedReplicaBecomesTheWriterWhenThePrimaryIsDown() {
        cluster.primarySampled(new BackendCluster.PrimarySample(100, System.nanoTime()));

        failedOverToReplica1();

        assertSame(replica1, cluster.writer());
        assertNull(cluster.primarySample(), "the old writer's WAL positions are forgotten");
    }

    @Test
    void theOldPrimaryComingBackWritableIsFencedAndGetsNoTraffic() {
        failedOverToReplica1();

        up(primary, false, 1, 130, 0);

        assertSame(replica1, cluster.writer());
        assertTrue(cluster.fenced(primary));
        for (int i = 0; i < 20; i++) {
            assertSame(replica2, selector.forRead("role:a", Set.of()));
        }
    }

    @Test
    void whenThePromotedWriterFailsAServerOnTheOlderTimelineIsStillNotWrittenTo() {
        failedOverToReplica1();
        up(primary, false, 1, 130, 0);

        down(replica1);

        assertSame(replica1, cluster.writer(), "its clients get errors rather than a forked history");
    }

    @Test
    void aReplicaPromotedWhileThePrimaryRunsTakesTheWritesOnItsNewerTimeline() {
        // Every router instance sees the same timelines, so all of them move, and none stays behind on the old one.
        up(primary, false, 1, 100, 0);
        up(replica1, true, 100, 0);

        up(replica1, false, 2, 100, 0);

        assertSame(replica1, cluster.writer());
        assertTrue(cluster.fenced(primary));
    }

    @Test
    void aSecondWritableServerOnTheSameTimelineLeavesTheWriterWhereItIs() {
        up(primary, false, 1, 100, 0);
        up(replica1, false, 1, 100, 0);

        assertSame(primary, cluster.writer());
        assertTrue(cluster.fenced(replica1));
    }

    @Test
    void anOldPrimaryRejoinedAsAStandbyIsReadFromLikeAnyReplica() {
        failedOverToReplica1();
        down(replica2);

        up(primary, true, 120, 0);

        assertSame(replica1, cluster.writer());
        assertFalse(cluster.fenced(primary));
        assertSame(primary, selector.forRead("role:a", Set.of()));
    }

    @Test
    void theLedgerKnowsTheLatestCommitOfAnyScope() {
        // The prober samples the primary's WAL position only while a commit is newer than its last sample.
        assertEquals(Long.MIN_VALUE, writes.latestCommitNanos());
        writes.committed("role:a", 200);
        writes.committed("role:b", 100);
        assertEquals(200, writes.latestCommitNanos());
        assertEquals(100, writes.lastCommitNanos("role:b"));
    }

    @Test
    void theOnlyPrimaryIsNeverEjected() {
        down(primary);
        assertSame(primary, cluster.writer());
    }

    @Test
    void aReplicaBeyondTheLagBoundGetsNoReads() {
        up(primary, false, 5000, 0);
        up(replica1, true, 5000, 0);
        up(replica2, true, 3000, 2000);
        for (int i = 0; i < 20; i++) {
            assertSame(replica1, selector.forRead("role:a", Set.of()));
        }
    }

    @Test
    void afterAWriteReadsWaitForAWalSampleAndThenOnlyForReplicasPastIt() {
        up(primary, false, 5000, 0);
        up(replica1, true, 5000, 0);
        up(replica2, true, 4990, 10);
        long wroteAt = System.nanoTime();
        writes.committed("role:a", wroteAt);

        // no primary sample from after the write yet: the primary
        cluster.primarySampled(new BackendCluster.PrimarySample(5000, wroteAt - 1));
        assertSame(primary, selector.forRead("role:a", Set.of()));

        // a sample after it: only a replica that has replayed that far
        cluster.primarySampled(new BackendCluster.PrimarySample(5000, wroteAt + 1));
        for (int i = 0; i < 20; i++) {
            assertSame(replica1, selector.forRead("role:a", Set.of()));
        }
        // another scope never wrote: both replicas serve it
        long toReplica2 = java.util.stream.IntStream.range(0, 200).mapToObj(i -> selector.forRead("role:b", Set.of()))
                .filter(n -> n == replica2).count();
        assertTrue(toReplica2 > 0, "replica-2 takes some of scope b's reads");
    }

    @Test
    void replicaWeightsAndOutstandingQueriesSteerTheBalance() {
        up(primary, false, 10, 0);
        up(replica1, true, 10, 0);
        up(replica2, true, 10, 0);
        replica2.outstanding().set(2);
        // (2+1)/3 = 1.0 vs (0+1)/1 = 1.0: tie; with one more on replica-1 replica-2 wins
        replica1.outstanding().set(1);
        assertSame(replica2, selector.forRead("role:x", Set.of()));
        assertSame(replica1, selector.forRead("role:x", Set.of(replica2)));
    }

    @Test
    void aStandbyStreamingAnotherTimelineThanTheWritersGetsNoReads() {
        failedOverToReplica1();
        // replica-2 streams timeline 1 again (from the old primary come back); a standby whose timeline is unknown still reads.
        up(replica2, true, 1, 130, 0);
        assertFalse(selector.eligible(replica2, replica1, 0));
        assertSame(replica1, selector.forRead("role:a", Set.of()));

        up(replica2, true, 2, 130, 0);
        assertTrue(selector.eligible(replica2, replica1, 0));
        up(replica2, true, 0, 130, 0);
        assertTrue(selector.eligible(replica2, replica1, 0));
    }

    @Test
    void theWriterIsKnownToHaveBeenPastAPositionSinceItsFirstSampleBeyondIt() {
        // The prober turns this into a standby's lag when the standby reports none (its WAL receiver lost its upstream).
        assertEquals(Long.MAX_VALUE, cluster.firstSeenBeyond(100), "no samples: nothing known to be missing");
        cluster.primarySampled(new BackendCluster.PrimarySample(100, 1_000));
        cluster.primarySampled(new BackendCluster.PrimarySample(200, 2_000));
        cluster.primarySampled(new BackendCluster.PrimarySample(300, 3_000));
        // one that finished after a later-started one read a position already passed
        cluster.primarySampled(new BackendCluster.PrimarySample(250, 4_000));

        assertEquals(2_000, cluster.firstSeenBeyond(150));
        assertEquals(2_000, cluster.firstSeenBeyond(100));
        assertEquals(1_000, cluster.firstSeenBeyond(50), "beyond it since at least the oldest sample kept");
        assertEquals(Long.MAX_VALUE, cluster.firstSeenBeyond(300));
        assertEquals(300, cluster.primarySample().lsn());
    }
}
