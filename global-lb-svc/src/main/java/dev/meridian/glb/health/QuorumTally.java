package dev.meridian.glb.health;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each observer's latest verdicts (this instance's and its peers'). A region is failed over only
 * when a strict majority of the observers heard from recently see it down, so one instance's
 * network trouble cannot fail a healthy region. Silent observers do not vote; alone, an instance
 * decides by itself.
 */
public final class QuorumTally {

    private record Observation(Map<String, Boolean> regions, long atMillis) {
    }

    private final long stalenessMillis;
    private final Map<String, Observation> byObserver = new ConcurrentHashMap<>();

    public QuorumTally(long stalenessMillis) {
        this.stalenessMillis = stalenessMillis;
    }

    public void record(String observer, Map<String, Boolean> regions, long atMillis) {
        byObserver.put(observer, new Observation(Map.copyOf(regions), atMillis));
    }

    public Set<String> healthy(Collection<String> regions, long nowMillis) {
        Set<String> healthy = new LinkedHashSet<>();
        for (String region : regions) {
            int voters = 0;
            int down = 0;
            for (Observation observation : byObserver.values()) {
                Boolean verdict = observation.regions().get(region);
                if (verdict == null || nowMillis - observation.atMillis() > stalenessMillis) {
                    continue;
                }
                voters++;
                if (!verdict) {
                    down++;
                }
            }
            if (voters == 0 || down * 2 <= voters) {
                healthy.add(region);
            }
        }
        return healthy;
    }

    /** Observers whose last word is recent enough to count. */
    public Set<String> freshObservers(long nowMillis) {
        Set<String> fresh = new LinkedHashSet<>();
        byObserver.forEach((observer, observation) -> {
            if (nowMillis - observation.atMillis() <= stalenessMillis) {
                fresh.add(observer);
            }
        });
        return fresh;
    }
}
