package dev.meridian.glb.geo;

import dev.meridian.glb.GlbServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;

/** Locates clients with the configured table, or the embedded default one. */
@ApplicationScoped
public class GeoLocator {

    private final CidrLocator table;

    @Inject
    public GeoLocator(GlbServiceConfig config) {
        this.table = CidrLocator.parse(config.geoTable().map(GeoLocator::read).orElseGet(GeoLocator::embedded));
    }

    public Optional<Location> locate(InetAddress address) {
        return table.locate(address);
    }

    public int networks() {
        return table.size();
    }

    private static String read(java.nio.file.Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read geo table " + path, e);
        }
    }

    static String embedded() {
        try (InputStream in = GeoLocator.class.getResourceAsStream("default-networks.txt")) {
            if (in == null) {
                throw new IllegalStateException("default-networks.txt is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
