package dev.meridian.platform.flags;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlagValuesTest {

    @Test
    void acceptsTheUsualSpellingsOfOnAndOff() {
        for (String on : new String[] {"true", "TRUE", " on ", "1", "yes", "enabled"}) {
            assertEquals(Optional.of(true), FlagValues.parse(on), on);
        }
        for (String off : new String[] {"false", "Off", "0", "no", "disabled"}) {
            assertEquals(Optional.of(false), FlagValues.parse(off), off);
        }
    }

    @Test
    void anythingElseIsNotAValue() {
        assertTrue(FlagValues.parse("maybe").isEmpty());
        assertTrue(FlagValues.parse("").isEmpty());
        assertTrue(FlagValues.parse(null).isEmpty());
    }

    @Test
    void flagsAreFoundByTheirDesignNames() {
        assertEquals(Optional.of(Flag.EDGE_CACHE), Flag.byKey("edge-cache"));
        assertEquals("ENABLE_WEBSOCKET_CLUSTER", Flag.WEBSOCKET_CLUSTER.envVar());
        assertTrue(Flag.byKey("edge_cache").isEmpty());
    }

    @Test
    void startValuesComeFromEnableVariablesAndDefaultToOn() {
        Config config = config(Map.of("ENABLE_EDGE_CACHE", "false", "ENABLE_GLOBAL_LB", "off"));

        Map<Flag, Boolean> values = FlagsProducer.startValues(config);

        assertFalse(values.get(Flag.EDGE_CACHE));
        assertFalse(values.get(Flag.GLOBAL_LB));
        assertTrue(values.get(Flag.REPLICA_ROUTING));
        assertEquals(Flag.values().length, values.size());
    }

    @Test
    void aMisspelledEnableVariableStopsStartUpWithItsName() {
        Config config = config(Map.of("ENABLE_RATE_LIMITING", "sometimes"));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> FlagsProducer.startValues(config));

        assertTrue(error.getMessage().contains("ENABLE_RATE_LIMITING=sometimes"), error.getMessage());
    }

    private static Config config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 100)).build();
    }
}
