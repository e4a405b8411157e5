package dev.meridian.glb.geo;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrLocatorTest {

    private final CidrLocator locator = CidrLocator.parse("""
            10.0.0.0/8      1.0  1.0   # broad
            10.1.0.0/16     2.0  2.0   # narrower wins
            10.1.2.128/25   3.0  3.0
            2001:db8::/32   4.0  4.0
            """);

    @Test
    void longestPrefixWins() throws Exception {
        assertEquals(1.0, locator.locate(InetAddress.getByName("10.200.0.1")).orElseThrow().latitude());
        assertEquals(2.0, locator.locate(InetAddress.getByName("10.1.9.9")).orElseThrow().latitude());
        Location narrow = locator.locate(InetAddress.getByName("10.1.2.200")).orElseThrow();
        assertEquals(3.0, narrow.latitude());
        assertEquals(25, narrow.prefixLength());
        assertEquals(2.0, locator.locate(InetAddress.getByName("10.1.2.127")).orElseThrow().latitude());
        assertEquals(4.0, locator.locate(InetAddress.getByName("2001:db8:ffff::1")).orElseThrow().latitude());
        assertTrue(locator.locate(InetAddress.getByName("11.0.0.1")).isEmpty());
    }

    @Test
    void theEmbeddedTableLoadsAndBadLinesAreNamed() {
        assertTrue(CidrLocator.parse(GeoLocator.embedded()).size() >= 5);
        assertEquals("geo table line 2: expected 'cidr latitude longitude', got '10.0.0.0/33 1 1'",
                assertThrows(IllegalArgumentException.class, () -> CidrLocator.parse("# ok\n10.0.0.0/33 1 1\n")).getMessage());
    }

    @Test
    void greatCircleDistances() {
        assertEquals(5570, Location.distanceKm(51.51, -0.13, 40.71, -74.01), 30);
        assertEquals(0, Location.distanceKm(1, 1, 1, 1), 0.001);
    }
}
