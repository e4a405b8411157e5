package dev.meridian.router.proxy;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StartupOptionsTest {

    @Test
    void settingsInEachSpellingPostgresAccepts() {
        assertEquals(Map.of("search_path", "app", "TimeZone", "UTC", "statement_timeout", "5s"),
                StartupOptions.settings("-c search_path=app  -cTimeZone=UTC --statement-timeout=5s"));
    }

    @Test
    void aBackslashKeepsTheNextCharacterInTheWord() {
        assertEquals(Map.of("application_name", "nightly report"), StartupOptions.settings("-c application_name=nightly\\ report"));
        assertEquals(Map.of("search_path", "a,b"), StartupOptions.settings("-c search_path=a,b"));
    }

    @Test
    void theLastValueOfASettingWins() {
        assertEquals(Map.of("TimeZone", "Asia/Tokyo"), StartupOptions.settings("-c TimeZone=UTC -c TimeZone=Asia/Tokyo"));
    }

    @Test
    void switchesOtherThanSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> StartupOptions.settings("-B 100"));
        assertThrows(IllegalArgumentException.class, () -> StartupOptions.settings("-c"));
        assertThrows(IllegalArgumentException.class, () -> StartupOptions.settings("-c search_path"));
    }
}
