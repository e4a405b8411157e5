package dev.meridian.glb.answer;

import dev.meridian.glb.config.GlbConfig;
import dev.meridian.glb.config.GlobalName;
import dev.meridian.glb.config.Policy;
import dev.meridian.glb.config.RegionConfig;
import dev.meridian.glb.geo.Location;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which region answers for which client, computed once per change of health, config or flag.
 * Geoproximity is a 1°×1° grid of the globe holding, per cell, the healthy region nearest its
 * centre (distance minus the region's bias): a query is one array read.
 */
public final class AnswerBook {

    static final int CELL_DEGREES = 1;
    private static final int ROWS = 180 / CELL_DEGREES;
    private static final int COLUMNS = 360 / CELL_DEGREES;

    private final GlbConfig config;
    private final List<RegionConfig> candidates;
    private final RegionConfig failoverChoice;
    private final RegionConfig fastestChoice;
    private final RegionConfig unknownLocationChoice;
    private final short[] nearest;
    private final long[] cumulativeWeights;
    private final AtomicLong rotation = new AtomicLong();
    private final boolean enabled;

    private AnswerBook(GlbConfig config, Set<String> healthyRegions, boolean enabled, Map<String, Long> rttMillis) {
        this.config = config;
        this.enabled = enabled;
        List<RegionConfig> healthy = config.regions().stream().filter(r -> healthyRegions.contains(r.name())).toList();
        // With every region down, answering with all of them beats answering with none.
        this.candidates = healthy.isEmpty() ? config.regions() : healthy;
        this.failoverChoice = candidates.stream().min(Comparator.comparingInt(RegionConfig::priority)).orElseThrow();
        // Regions never measured rank last; ties go to priority.
        this.fastestChoice = candidates.stream().min(Comparator.<RegionConfig>comparingLong(
                r -> rttMillis.getOrDefault(r.name(), Long.MAX_VALUE)).thenComparingInt(RegionConfig::priority)).orElseThrow();
        RegionConfig fallback = config.region(config.fallbackRegion()).orElseThrow();
        this.unknownLocationChoice = candidates.contains(fallback) ? fallback : failoverChoice;
        this.nearest = grid(candidates);
        this.cumulativeWeights = new long[candidates.size()];
        long sum = 0;
        for (int i = 0; i < candidates.size(); i++) {
            sum += Math.max(0, candidates.get(i).weight());
            cumulativeWeights[i] = sum;
        }
    }

    public static AnswerBook build(GlbConfig config, Set<String> healthyRegions, boolean globalLbEnabled) {
        return new AnswerBook(config, healthyRegions, globalLbEnabled, Map.of());
    }

    /** @param rttMillis each region's probe round-trip time as this instance measures it (for the latency policy) */
    public static AnswerBook build(GlbConfig config, Set<String> healthyRegions, boolean globalLbEnabled, Map<String, Long> rttMillis) {
        return new AnswerBook(config, healthyRegions, globalLbEnabled, rttMillis);
    }

    public GlbConfig config() {
        return config;
    }

    /** The region that answers {@code name} for a client at {@code location} (empty: location unknown). */
    public RegionConfig select(GlobalName name, Optional<Location> location) {
        if (!enabled) {
            return config.region(config.primaryRegion()).orElseThrow();
        }
        return switch (name.policy()) {
            case FAILOVER -> failoverChoice;
            case GEOPROXIMITY -> location.map(l -> candidates.get(nearest[cell(l.latitude(), l.longitude())]))
                    .orElse(unknownLocationChoice);
            case WEIGHTED -> weighted();
            case ROUND_ROBIN -> candidates.get((int) Math.floorMod(rotation.getAndIncrement(), (long) candidates.size()));
            case LATENCY -> fastestChoice;
        };
    }

    /** Whether the answer for {@code name} depends on where the client is (and so on its ECS subnet). */
    public boolean dependsOnLocation(GlobalName name) {
        return enabled && name.policy() == Policy.GEOPROXIMITY && candidates.size() > 1;
    }

    public List<String> candidateNames() {
        List<String> names = new ArrayList<>();
        candidates.forEach(r -> names.add(r.name()));
        return names;
    }

    private RegionConfig weighted() {
        long total = cumulativeWeights[cumulativeWeights.length - 1];
        if (total <= 0) {
            return candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
        }
        long pick = ThreadLocalRandom.current().nextLong(total);
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (pick < cumulativeWeights[i]) {
                return candidates.get(i);
            }
        }
        return candidates.get(candidates.size() - 1);
    }

    private static short[] grid(List<RegionConfig> regions) {
        short[] cells = new short[ROWS * COLUMNS];
        for (int row = 0; row < ROWS; row++) {
            double latitude = -90 + (row + 0.5) * CELL_DEGREES;
            for (int column = 0; column < COLUMNS; column++) {
                double longitude = -180 + (column + 0.5) * CELL_DEGREES;
                double best = Double.MAX_VALUE;
                short bestIndex = 0;
                for (short i = 0; i < regions.size(); i++) {
                    RegionConfig region = regions.get(i);
                    double score = Location.distanceKm(latitude, longitude, region.latitude(), region.longitude()) - region.biasKm();
                    if (score < best) {
                        best = score;
                        bestIndex = i;
                    }
                }
                cells[row * COLUMNS + column] = bestIndex;
            }
        }
        return cells;
    }

    static int cell(double latitude, double longitude) {
        int row = Math.min(ROWS - 1, Math.max(0, (int) Math.floor((latitude + 90) / CELL_DEGREES)));
        int column = Math.min(COLUMNS - 1, Math.max(0, (int) Math.floor((longitude + 180) / CELL_DEGREES)));
        return row * COLUMNS + column;
    }

    /** Used by tests and the health page. */
    public Map<String, Object> describe() {
        return Map.of("enabled", enabled, "candidates", candidateNames(), "failover", failoverChoice.name(),
                "fastest", fastestChoice.name(), "unknownLocation", unknownLocationChoice.name());
    }
}
