package dev.meridian.router.pool;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerTlsTest {

    @Test
    void modesReadAsLibpqWritesThem() {
        assertEquals(ServerTls.Mode.VERIFY_FULL, ServerTls.Mode.parse(" verify-full "));
        assertFalse(ServerTls.parse("disable", Optional.empty()).requested());
        assertTrue(ServerTls.parse("prefer", Optional.empty()).requested());
        assertFalse(ServerTls.parse("prefer", Optional.empty()).required());
        assertTrue(ServerTls.parse("require", Optional.empty()).required());
    }

    @Test
    void aTypoOrAVerifyModeWithoutCertificatesStopsTheStart() {
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> ServerTls.parse("requir", Optional.empty()));
        assertTrue(typo.getMessage().contains("'requir'"), typo.getMessage());
        IllegalArgumentException noCa = assertThrows(IllegalArgumentException.class, () -> ServerTls.parse("verify-ca", Optional.empty()));
        assertTrue(noCa.getMessage().contains("ROUTER_SERVER_TLS_CA"), noCa.getMessage());
        assertTrue(ServerTls.parse("verify-ca", Optional.of(Path.of("/etc/ssl/ca.pem"))).required());
    }
}
