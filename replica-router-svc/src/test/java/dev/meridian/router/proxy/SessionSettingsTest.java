package dev.meridian.router.proxy;

import dev.meridian.router.routing.SettingAssignment;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionSettingsTest {

    private final Map<String, String> serverDefaults = Map.of("application_name", "meridian-router", "DateStyle", "ISO, MDY",
            "client_encoding", "UTF8", "TimeZone", "UTC");

    @Test
    void aConnectionThatAlreadyCarriesTheClientsSettingsNeedsNoQuery() {
        SessionSettings settings = SessionSettings.fromStartup(Map.of("user", "u", "client_encoding", "utf-8"));
        Map<String, String> applied = new HashMap<>(serverDefaults);
        assertNull(settings.synchronise(applied, new HashMap<>(), serverDefaults));
    }

    @Test
    void differencesAreSetOnceAndSettingsOfThePreviousClientAreReset() {
        // given: a connection a previous client left with its own TimeZone and search_path
        Map<String, String> applied = new HashMap<>(serverDefaults);
        applied.put("TimeZone", "Europe/Paris");
        applied.put("search_path", "app, public");
        SessionSettings settings = SessionSettings.fromStartup(Map.of("user", "u", "application_name", "it's mine"));

        // when
        String sql = settings.synchronise(applied, new HashMap<>(), serverDefaults);

        // then
        assertEquals("SELECT pg_catalog.set_config('application_name', 'it''s mine', false); RESET \"TimeZone\"; RESET \"search_path\"", sql);
        assertNull(settings.synchronise(applied, new HashMap<>(), serverDefaults), "applied in place: the next borrow needs nothing");
    }

    @Test
    void aReportedChangeMakesConnectionsCompareAgain() {
        // A connection remembers the signature of the settings it was last matched to; only a change gives a new one.
        SessionSettings settings = SessionSettings.fromStartup(Map.of("user", "u", "TimeZone", "UTC"));
        Object before = settings.signature();
        settings.reported("TimeZone", "UTC");
        assertSame(before, settings.signature());
        settings.reported("timezone", "Europe/Berlin");
        assertNotEquals(before, settings.signature());
        assertEquals("Europe/Berlin", settings.explicit("TimeZone"));
    }

    @Test
    void clientsWithEqualSettingsShareOneSignature() {
        // given: two clients of one application, and a third with another time zone
        SessionSettings first = SessionSettings.fromStartup(Map.of("user", "a", "application_name", "shop", "TimeZone", "UTC"));
        SessionSettings second = SessionSettings.fromStartup(Map.of("user", "b", "TimeZone", "UTC", "application_name", "shop"));
        SessionSettings other = SessionSettings.fromStartup(Map.of("user", "a", "application_name", "shop", "TimeZone", "Asia/Tokyo"));

        // then: a connection set up for the first carries the second's settings, not the third's
        assertSame(first.signature(), second.signature());
        assertNotEquals(first.signature(), other.signature());
        Map<String, String> serverDefaults = Map.of("TimeZone", "Etc/UTC", "application_name", "");
        Map<String, String> applied = new HashMap<>(serverDefaults);
        first.synchronise(applied, new HashMap<>(), serverDefaults);
        assertNull(second.synchronise(applied, new HashMap<>(), serverDefaults), "equal signatures: nothing to apply");
        assertNotNull(other.synchronise(applied, new HashMap<>(), serverDefaults));
    }

    @Test
    void unsupportedStartupParametersAndReplicationAreRefused() {
        assertThrows(SessionSettings.UnsupportedSetting.class, () -> SessionSettings.fromStartup(Map.of("user", "u", "options", "-c x=1")));
        assertThrows(SessionSettings.UnsupportedSetting.class, () -> SessionSettings.fromStartup(Map.of("user", "u", "replication", "database")));
    }

    @Test
    void readOnlyByDefaultFollowsWhatTheClientSetOrWasReported() {
        assertFalse(SessionSettings.fromStartup(Map.of("user", "u")).readOnlyByDefault(), "unknown: the server's default");
        for (String on : new String[] {"on", "ON", "true", "t", "yes", "1"}) {
            assertTrue(SessionSettings.fromStartup(Map.of("user", "u", "default_transaction_read_only", on)).readOnlyByDefault(), on);
        }
        for (String off : new String[] {"off", "false", "no", "0", "of"}) {
            assertFalse(SessionSettings.fromStartup(Map.of("user", "u", "default_transaction_read_only", off)).readOnlyByDefault(), off);
        }
        SessionSettings settings = SessionSettings.fromStartup(Map.of("user", "u"));
        settings.reported("default_transaction_read_only", "on");
        assertTrue(settings.readOnlyByDefault(), "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY, as PostgreSQL reports it");
        settings.reported("default_transaction_read_only", "off");
        assertFalse(settings.readOnlyByDefault());
        SessionSettings ofReadOnlyRole = SessionSettings.fromStartup(Map.of("user", "reporting"));
        ofReadOnlyRole.loggedIn(Map.of("default_transaction_read_only", "on"));
        assertTrue(ofReadOnlyRole.readOnlyByDefault(), "ALTER ROLE reporting SET default_transaction_read_only = on");
    }

    @Test
    void carriedSettingsInTheOptionsParameterAreTheClientsOwn() {
        SessionSettings settings = SessionSettings.fromStartup(Map.of("user", "u", "options", "-c search_path=app,public -c timezone=UTC",
                "TimeZone", "Asia/Tokyo"));
        assertEquals("app,public", settings.explicit("search_path"));
        assertEquals("Asia/Tokyo", settings.explicit("TimeZone"), "the packet's own parameter is applied after options, as PostgreSQL does");
    }

    @Test
    void settingsTheRouterCannotCarryAreRefusedUnlessIgnored() {
        Map<String, String> startup = Map.of("user", "u", "options", "-c statement_timeout=5s -c search_path=app");
        SessionSettings.UnsupportedSetting refused = assertThrows(SessionSettings.UnsupportedSetting.class,
                () -> SessionSettings.fromStartup(startup));
        assertTrue(refused.getMessage().contains("statement_timeout"), refused.getMessage());
        SessionSettings ignoring = SessionSettings.fromStartup(startup, java.util.Set.of("options"));
        assertEquals("app", ignoring.explicit("search_path"), "what it can carry it still does");
        assertNull(ignoring.explicit("statement_timeout"));
        assertThrows(SessionSettings.UnsupportedSetting.class, () -> SessionSettings.fromStartup(Map.of("user", "u", "options", "-B 100")));
        assertNotNull(SessionSettings.fromStartup(Map.of("user", "u", "options", "-B 100"), java.util.Set.of("options")));
        assertNotNull(SessionSettings.fromStartup(Map.of("user", "u", "geqo", "off"), java.util.Set.of("geqo")));
    }

    @Test
    void aClientsCarriedSetsAreReplayedAndOtherClientsSetsReset() {
        SettingAssignment timeout = new SettingAssignment("statement_timeout", "statement_timeout", "'5s'");
        SettingAssignment tenant = new SettingAssignment("app.tenant", "app.tenant", "42");
        SessionSettings mine = SessionSettings.fromStartup(Map.of("user", "u"));
        mine.assigned(timeout);
        // given: a connection another client left with its tenant
        Map<String, String> applied = new HashMap<>(serverDefaults);
        Map<String, SettingAssignment> carried = new HashMap<>(Map.of("app.tenant", tenant));

        assertEquals("RESET app.tenant; SET statement_timeout TO '5s'", mine.synchronise(applied, carried, serverDefaults));
        assertEquals(Map.of("statement_timeout", timeout), carried);
        assertNull(mine.synchronise(applied, carried, serverDefaults), "the next borrow needs nothing");
        SessionSettings plain = SessionSettings.fromStartup(Map.of("user", "v"));
        assertEquals("RESET statement_timeout", plain.synchronise(applied, carried, serverDefaults));
        assertNotEquals(mine.signature(), plain.signature());
    }

    @Test
    void aCarriedSetOfATrackedSettingReplacesTheStartupValue() {
        SessionSettings mine = SessionSettings.fromStartup(Map.of("user", "u", "search_path", "app"));
        mine.assigned(new SettingAssignment("search_path", "search_path", "reports, public"));
        Map<String, String> applied = new HashMap<>(serverDefaults);
        Map<String, SettingAssignment> carried = new HashMap<>();
        assertEquals("SET search_path TO reports, public", mine.synchronise(applied, carried, serverDefaults));
        // A client with the startup value gets the SET taken away first, then its own value.
        SessionSettings other = SessionSettings.fromStartup(Map.of("user", "v", "search_path", "app"));
        assertEquals("RESET search_path; SELECT pg_catalog.set_config('search_path', 'app', false)",
                other.synchronise(applied, carried, serverDefaults));
        assertNull(other.synchronise(applied, carried, serverDefaults));
    }

    @Test
    void discardAllForgetsCarriedSets() {
        SessionSettings mine = SessionSettings.fromStartup(Map.of("user", "u"));
        Object before = mine.signature();
        mine.assigned(new SettingAssignment("work_mem", "work_mem", "'64MB'"));
        assertNotEquals(before, mine.signature());
        mine.discarded();
        assertNull(mine.synchronise(new HashMap<>(serverDefaults), new HashMap<>(), serverDefaults));
    }
    @Test
    void aCarriedResetTakesTheClientsValueAwayHereAndOnItsNextConnections() {
        SessionSettings mine = SessionSettings.fromStartup(Map.of("user", "u"));
        Object plain = mine.signature();
        SettingAssignment timeout = new SettingAssignment("statement_timeout", "statement_timeout", "'5s'");
        mine.assigned(timeout);
        Map<String, String> applied = new HashMap<>(serverDefaults);
        Map<String, SettingAssignment> carried = new HashMap<>();
        assertEquals("SET statement_timeout TO '5s'", mine.synchronise(applied, carried, serverDefaults));

        // when: its RESET ran on this connection
        SettingAssignment reset = SettingAssignment.reset("statement_timeout", "statement_timeout");
        mine.assigned(reset);
        SessionSettings.carry(reset, applied, carried);

        // then: nothing to set up here, and a connection still carrying the old SET has it reset
        assertEquals(Map.of(), carried);
        assertNull(mine.synchronise(applied, carried, serverDefaults));
        assertEquals(plain, mine.signature(), "as a client that never set it");
        Map<String, SettingAssignment> other = new HashMap<>(Map.of("statement_timeout", timeout));
        assertEquals("RESET statement_timeout", mine.synchronise(new HashMap<>(serverDefaults), other, serverDefaults));
    }
}
