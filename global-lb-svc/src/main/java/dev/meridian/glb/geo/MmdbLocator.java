package dev.meridian.glb.geo;

import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Reader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Locates clients with MaxMind-format databases: GeoLite2/GeoIP2 City records
 * ({@code location.latitude}) and flat ones such as DB-IP City Lite from ip-location-db
 * ({@code latitude}). Several files are tried in order (DB-IP ships IPv4 and IPv6 apart).
 */
public final class MmdbLocator implements AutoCloseable {

    private final List<Reader> readers;

    private MmdbLocator(List<Reader> readers) {
        this.readers = readers;
    }

    public static MmdbLocator open(List<Path> files) {
        List<Reader> readers = new ArrayList<>();
        try {
            for (Path file : files) {
                readers.add(new Reader(file.toFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open geo database: " + e.getMessage(), e);
        }
        return new MmdbLocator(List.copyOf(readers));
    }

    @SuppressWarnings("unchecked")
    public Optional<Location> locate(InetAddress address) {
        for (Reader reader : readers) {
            DatabaseRecord<Map> record;
            try {
                record = reader.getRecord(address, Map.class);
            } catch (IOException | IllegalArgumentException e) {
                // An IPv6 address asked of an IPv4-only file, or a damaged record: try the next file.
                continue;
            }
            if (record == null || record.getData() == null) {
                continue;
            }
            Map<String, Object> data = record.getData();
            Object nested = data.get("location");
            Map<String, Object> location = nested instanceof Map<?, ?> map ? (Map<String, Object>) map : data;
            Optional<Double> latitude = number(location.get("latitude"));
            Optional<Double> longitude = number(location.get("longitude"));
            if (latitude.isPresent() && longitude.isPresent()) {
                return Optional.of(new Location(latitude.get(), longitude.get(), record.getNetwork().getPrefixLength()));
            }
        }
        return Optional.empty();
    }

    private static Optional<Double> number(Object raw) {
        if (raw instanceof Number number) {
            return Optional.of(number.doubleValue());
        }
        if (raw instanceof String text) {
            try {
                return Optional.of(Double.parseDouble(text));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        for (Reader reader : readers) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // closing a read-only file
            }
        }
    }
}
