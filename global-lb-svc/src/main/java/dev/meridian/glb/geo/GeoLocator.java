package dev.meridian.glb.geo;

import dev.meridian.glb.GlbServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;

/** Locates clients: configured MaxMind-format databases first, then the CIDR table (configured or embedded). */
@ApplicationScoped
public class GeoLocator {

    private final CidrLocator table;
    private final Optional<MmdbLocator> databases;

    @Inject
    public GeoLocator(GlbServiceConfig config) {
        this.table = CidrLocator.parse(config.geoTable().map(GeoLocator::read).orElseGet(GeoLocator::embedded));
        this.databases = config.mmdb().filter(files -> !files.isEmpty()).map(MmdbLocator::open);
    }

    public Optional<Location> locate(InetAddress address) {
        if (databases.isPresent()) {
            Optional<Location> found = databases.get().locate(address);
            if (found.isPresent()) {
                return found;
            }
        }
        return table.locate(address);
    }

    @PreDestroy
    void close() {
        databases.ifPresent(MmdbLocator::close);
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
