package dev.meridian.glb.health;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuorumTallyTest {

    private static final List<String> REGIONS = List.of("eu", "us");
    private final QuorumTally tally = new QuorumTally(10_000);

    @Test
    void oneObserverOfThreeSeeingARegionDownDoesNotFailIt() {
        tally.record("eu", Map.of("eu", true, "us", false), 1000);
        tally.record("us", Map.of("eu", true, "us", true), 1000);
        tally.record("ap", Map.of("eu", true, "us", true), 1000);
        assertEquals(Set.of("eu", "us"), tally.healthy(REGIONS, 2000));
    }

    @Test
    void aMajorityFailsIt() {
        tally.record("eu", Map.of("eu", true, "us", false), 1000);
        tally.record("ap", Map.of("eu", true, "us", false), 1000);
        tally.record("us", Map.of("eu", true, "us", true), 1000);
        assertEquals(Set.of("eu"), tally.healthy(REGIONS, 2000));
    }

    @Test
    void withTwoObserversATieKeepsTheRegion() {
        tally.record("eu", Map.of("eu", true, "us", false), 1000);
        tally.record("us", Map.of("eu", true, "us", true), 1000);
        assertEquals(Set.of("eu", "us"), tally.healthy(REGIONS, 2000));
    }

    @Test
    void staleObserversStopVotingAndAnInstanceAloneDecidesByItself() {
        tally.record("self", Map.of("eu", true, "us", false), 20_000);
        tally.record("peer", Map.of("eu", true, "us", true), 1000);
        assertEquals(Set.of("eu"), tally.healthy(REGIONS, 20_500));
        assertEquals(Set.of("self"), tally.freshObservers(20_500));
    }

    @Test
    void aRegionNobodyReportsOnStaysHealthy() {
        assertEquals(Set.of("eu", "us"), tally.healthy(REGIONS, 0));
    }
}
