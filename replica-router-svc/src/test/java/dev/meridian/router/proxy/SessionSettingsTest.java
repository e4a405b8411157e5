package dev.meridian.router.proxy;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SessionSettingsTest {

    private final Map<String, String> serverDefaults = Map.of("application_name", "meridian-router", "DateStyle", "ISO, MDY",
            "client_encoding", "UTF8", "TimeZone", "UTC");

    @Test
    void aConnectionThatAlreadyCarriesTheClientsSettingsNeedsNoQuery() {
        SessionSettings settings = SessionSettings.fromStartup(Map.of("user", "u", "client_encoding", "utf-8"));
        Map<String, String> applied = new HashMap<>(serverDefaults);
        assertNull(settings.synchronise(applied, serverDefaults));
    }

    @Test
    void differencesAreSetOnceAndSettingsOfThePreviousClientAreReset() {
        // given: a connection a previous client left with its own TimeZone and search_path
        Map<String, String> applied = new HashMap<>(serverDefaults);
        applied.put("TimeZone", "Europe/Paris");
        applied.put("search_path", "app, public");
        SessionSettings settings = SessionSettings.fromStartup(Map.of("user", "u", "application_name", "it's mine"));

        // when
        String sql = settings.synchronise(applied, serverDefaults);

        // then
        assertEquals("SELECT pg_catalog.set_config('application_name', 'it''s mine', false); RESET \"TimeZone\"; RESET \"search_path\"", sql);
        assertNull(settings.synchronise(applied, serverDefaults), "applied in place: the next borrow needs nothing");
    }

    @Test
    void aReportedChangeMakesConnectionsCompareAgain() {
        // A connection remembers the version of the settings it was last matched to; only a change bumps it.
        SessionSettings settings = SessionSettings.fromStartup(Map.of("user", "u", "TimeZone", "UTC"));
        int before = settings.version();
        settings.reported("TimeZone", "UTC");
        assertEquals(before, settings.version());
        settings.reported("timezone", "Europe/Berlin");
        assertEquals(before + 1, settings.version());
        assertEquals("Europe/Berlin", settings.explicit("TimeZone"));
    }

    @Test
    void unsupportedStartupParametersAndReplicationAreRefused() {
        assertThrows(SessionSettings.UnsupportedSetting.class, () -> SessionSettings.fromStartup(Map.of("user", "u", "options", "-c x=1")));
        assertThrows(SessionSettings.UnsupportedSetting.class, () -> SessionSettings.fromStartup(Map.of("user", "u", "replication", "database")));
    }
}
