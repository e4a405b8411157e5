package dev.meridian.router.config;

import dev.meridian.router.auth.Userlist;
import dev.meridian.router.probe.Lsn;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendAddressTest {

    @Test
    void urlsGiveHostPortDatabaseCredentialsAndWeight() {
        BackendAddress address = BackendAddress.parse("replica-1", "postgresql://prober:s%40cret@10.0.0.7:6543/app?weight=3");
        assertEquals("10.0.0.7", address.host());
        assertEquals(6543, address.port());
        assertEquals("app", address.database());
        assertEquals("prober", address.user());
        assertEquals("s@cret", address.password());
        assertEquals(3, address.weight());
        assertEquals(5432, BackendAddress.parse("p", "postgres://db").port());
        assertThrows(IllegalArgumentException.class, () -> BackendAddress.parse("p", "mysql://db"));
    }

    @Test
    void lsnsRoundTrip() {
        assertEquals(0x16B374D848L, Lsn.parse("16/B374D848"));
        assertEquals("16/B374D848", Lsn.format(Lsn.parse("16/B374D848")));
    }

    @Test
    void userlistsParseQuotedFieldsAndNameTheLineOfAnError() {
        Userlist list = Userlist.parse("users.txt", List.of("; comment", "\"app\" \"pa\"\"ss\"", "", "\"ro\" \"md5d41d8cd98f00b204e9800998ecf8427e\""));
        assertEquals("pa\"ss", list.secret("app").orElseThrow());
        assertEquals(2, list.size());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Userlist.parse("users.txt", List.of("\"a\" \"b\"", "\"a\" \"c\"")));
        assertTrue(error.getMessage().startsWith("users.txt:2:"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Userlist.parse("users.txt", List.of("app secret")));
    }
}
