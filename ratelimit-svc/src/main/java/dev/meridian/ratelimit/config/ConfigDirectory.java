package dev.meridian.ratelimit.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Loads every {@code *.yaml} / {@code *.yml} file of a directory (dot-files skipped) into one
 * {@link RateLimitConfig}. All or nothing: one bad file rejects the whole set, so a half-applied
 * config never serves.
 */
public final class ConfigDirectory {

    private static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

    private ConfigDirectory() {
    }

    public static RateLimitConfig load(Path directory, Instant now) {
        List<Path> files = files(directory);
        Map<String, DomainConfig> domains = new LinkedHashMap<>();
        MessageDigest digest = sha256();
        for (Path file : files) {
            String name = directory.relativize(file).toString();
            String content = read(file, name);
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update(content.getBytes(StandardCharsets.UTF_8));
            DomainConfig domain = ConfigParser.parse(name, content);
            DomainConfig clash = domains.put(domain.name(), domain);
            if (clash != null) {
                throw new ConfigException(new SourcePosition(name, 1, 1),
                        "duplicate domain '" + domain.name() + "' in config file (also in " + clash.file() + ")");
            }
        }
        String version = files.isEmpty() ? "empty" : HexFormat.of().formatHex(digest.digest()).substring(0, 12);
        return new RateLimitConfig(Map.copyOf(domains), version, now);
    }

    static List<Path> files(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new ConfigException(new SourcePosition(directory.toString(), 1, 1), "config directory does not exist");
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ConfigException(new SourcePosition(directory.toString(), 1, 1), "cannot list config directory: " + e.getMessage());
        }
    }

    private static String read(Path file, String name) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(new SourcePosition(name, 1, 1), "config file is over " + MAX_FILE_BYTES + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(new SourcePosition(name, 1, 1), "cannot read config file: " + e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
