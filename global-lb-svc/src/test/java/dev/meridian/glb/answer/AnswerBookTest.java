package dev.meridian.glb.answer;

import dev.meridian.glb.Fixtures;
import dev.meridian.glb.config.GlbConfig;
import dev.meridian.glb.config.GlobalName;
import dev.meridian.glb.geo.Location;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnswerBookTest {

    private final GlbConfig config = Fixtures.config();
    private final GlobalName geo = config.names().get(0);
    private final GlobalName failover = config.names().get(1);
    private final GlobalName weighted = config.names().get(2);
    private final GlobalName roundRobin = config.names().get(3);
    private static final Optional<Location> PARIS = Optional.of(new Location(48.86, 2.35, 24));
    private static final Optional<Location> BOSTON = Optional.of(new Location(42.36, -71.06, 24));
    private static final Optional<Location> SEOUL = Optional.of(new Location(37.57, 126.98, 24));
    private static final Optional<Location> SYDNEY = Optional.of(new Location(-33.87, 151.21, 24));

    private AnswerBook book(String... healthy) {
        return AnswerBook.build(config, Set.of(healthy), true);
    }

    @Test
    void geoproximityPicksTheNearestHealthyRegion() {
        AnswerBook all = book("eu", "us", "ap");
        assertEquals("eu", all.select(geo, PARIS).name());
        assertEquals("us", all.select(geo, BOSTON).name());
        assertEquals("ap", all.select(geo, SEOUL).name());
        assertEquals("ap", all.select(geo, SYDNEY).name());
        assertEquals("eu", all.select(geo, Optional.empty()).name(), "unknown location: the fallback region");
    }

    @Test
    void aFailedRegionsClientsGoToTheNextNearest() {
        AnswerBook noEurope = book("us", "ap");
        assertEquals("us", noEurope.select(geo, PARIS).name());
        assertEquals("us", noEurope.select(geo, Optional.empty()).name(), "fallback down: failover order");
        assertEquals("ap", book("ap").select(geo, BOSTON).name());
    }

    @Test
    void failoverFollowsPriority() {
        assertEquals("eu", book("eu", "us", "ap").select(failover, SEOUL).name());
        assertEquals("us", book("us", "ap").select(failover, SEOUL).name());
        assertEquals("ap", book("ap").select(failover, SEOUL).name());
    }

    @Test
    void withEveryRegionDownEveryRegionIsACandidate() {
        AnswerBook none = book();
        assertEquals("eu", none.select(failover, PARIS).name());
        assertEquals(3, none.candidateNames().size());
    }

    @Test
    void weightedFollowsWeightsAndSkipsZero() {
        AnswerBook all = book("eu", "us", "ap");
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            counts.merge(all.select(weighted, PARIS).name(), 1, Integer::sum);
        }
        assertEquals(null, counts.get("ap"), "weight 0 never answers");
        double euShare = counts.get("eu") / 4000.0;
        assertTrue(euShare > 0.70 && euShare < 0.80, "eu has 3/4 of the weight, got " + euShare);
    }

    @Test
    void roundRobinRotatesOverHealthyRegions() {
        AnswerBook two = book("eu", "ap");
        assertEquals("eu", two.select(roundRobin, PARIS).name());
        assertEquals("ap", two.select(roundRobin, PARIS).name());
        assertEquals("eu", two.select(roundRobin, PARIS).name());
    }

    @Test
    void latencyPicksTheFastestMeasuredHealthyRegion() {
        GlobalName fastest = new GlobalName(geo.name(), dev.meridian.glb.config.Policy.LATENCY, 30);
        Map<String, Long> rtt = Map.of("eu", 50L, "us", 10L);
        assertEquals("us", AnswerBook.build(config, Set.of("eu", "us", "ap"), true, rtt).select(fastest, PARIS).name());
        assertEquals("eu", AnswerBook.build(config, Set.of("eu", "ap"), true, rtt).select(fastest, PARIS).name(),
                "us is down; ap was never measured so it ranks last");
        assertEquals("eu", AnswerBook.build(config, Set.of("eu", "us", "ap"), true, Map.of()).select(fastest, PARIS).name(),
                "nothing measured: priority decides");
    }

    @Test
    void flagOffAnswersThePrimaryRegionOnly() {
        AnswerBook off = AnswerBook.build(config, Set.of("us", "ap"), false);
        assertEquals("eu", off.select(geo, BOSTON).name());
        assertEquals("eu", off.select(weighted, BOSTON).name());
        assertTrue(!off.dependsOnLocation(geo));
    }
}
