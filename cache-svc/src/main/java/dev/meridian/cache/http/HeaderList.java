package dev.meridian.cache.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Header lines in order, looked up case-insensitively. Immutable. */
public record HeaderList(List<Header> lines) {

    public HeaderList {
        lines = List.copyOf(lines);
    }

    public static HeaderList of(String... namesAndValues) {
        List<Header> lines = new ArrayList<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            lines.add(new Header(namesAndValues[i], namesAndValues[i + 1]));
        }
        return new HeaderList(lines);
    }

    public String first(String name) {
        for (Header header : lines) {
            if (header.name().equalsIgnoreCase(name)) {
                return header.value();
            }
        }
        return null;
    }

    public List<String> all(String name) {
        List<String> values = new ArrayList<>(1);
        for (Header header : lines) {
            if (header.name().equalsIgnoreCase(name)) {
                values.add(header.value());
            }
        }
        return values;
    }

    public boolean has(String name) {
        return first(name) != null;
    }

    /** Comma-separated list values across lines, trimmed, lower-cased (e.g. Vary, Connection). */
    public List<String> tokens(String name) {
        List<String> tokens = new ArrayList<>();
        for (String value : all(name)) {
            for (String part : value.split(",")) {
                String token = part.strip().toLowerCase(Locale.ROOT);
                if (!token.isEmpty()) {
                    tokens.add(token);
                }
            }
        }
        return tokens;
    }

    /**
     * These lines updated by a 304's (RFC 9111 4.3.4): every field the 304 carries replaces the
     * stored field of that name, except those that describe the body.
     */
    public HeaderList updatedBy(HeaderList notModified) {
        java.util.Set<String> replaced = new java.util.HashSet<>();
        for (Header header : notModified.lines) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (!name.equals("content-length") && !name.equals("content-encoding") && !name.equals("transfer-encoding")
                    && !name.equals("content-range")) {
                replaced.add(name);
            }
        }
        List<Header> merged = new ArrayList<>();
        for (Header header : lines) {
            if (!replaced.contains(header.name().toLowerCase(Locale.ROOT))) {
                merged.add(header);
            }
        }
        for (Header header : notModified.lines) {
            if (replaced.contains(header.name().toLowerCase(Locale.ROOT))) {
                merged.add(header);
            }
        }
        return new HeaderList(merged);
    }
}
