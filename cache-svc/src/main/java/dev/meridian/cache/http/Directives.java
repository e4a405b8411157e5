package dev.meridian.cache.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Cache-Control style directives (RFC 9111 section 5.2; also CDN-Cache-Control, RFC 9213): names
 * case-insensitive, values as tokens or quoted strings, several header lines joined. A malformed
 * or duplicated delta-seconds value makes that directive invalid (ignored), as the RFC advises.
 */
public final class Directives {

    private static final Directives NONE = new Directives(Map.of());

    private final Map<String, String> values;

    private Directives(Map<String, String> values) {
        this.values = values;
    }

    public static Directives none() {
        return NONE;
    }

    public static Directives parse(List<String> headerLines) {
        if (headerLines == null || headerLines.isEmpty()) {
            return NONE;
        }
        Map<String, String> values = new LinkedHashMap<>();
        java.util.Set<String> duplicated = new java.util.HashSet<>();
        for (String line : headerLines) {
            int i = 0;
            int n = line.length();
            while (i < n) {
                while (i < n && (line.charAt(i) == ',' || line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                    i++;
                }
                int nameStart = i;
                while (i < n && line.charAt(i) != '=' && line.charAt(i) != ',') {
                    i++;
                }
                String name = line.substring(nameStart, i).strip().toLowerCase(Locale.ROOT);
                String value = "";
                if (i < n && line.charAt(i) == '=') {
                    i++;
                    if (i < n && line.charAt(i) == '"') {
                        StringBuilder quoted = new StringBuilder();
                        i++;
                        while (i < n && line.charAt(i) != '"') {
                            if (line.charAt(i) == '\\' && i + 1 < n) {
                                i++;
                            }
                            quoted.append(line.charAt(i++));
                        }
                        i++;
                        value = quoted.toString();
                        while (i < n && line.charAt(i) != ',') {
                            i++;
                        }
                    } else {
                        int valueStart = i;
                        while (i < n && line.charAt(i) != ',') {
                            i++;
                        }
                        value = line.substring(valueStart, i).strip();
                    }
                }
                if (!name.isEmpty()) {
                    if (values.containsKey(name)) {
                        duplicated.add(name);
                    }
                    values.put(name, value);
                }
            }
        }
        duplicated.forEach(values::remove);
        return new Directives(Map.copyOf(values));
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** A delta-seconds value; empty when absent or invalid. Overflows saturate (RFC 9111 1.2.2). */
    public OptionalLong seconds(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            if (!Character.isDigit(value.charAt(i))) {
                return OptionalLong.empty();
            }
        }
        if (value.length() > 10) {
            return OptionalLong.of(Integer.MAX_VALUE);
        }
        return OptionalLong.of(Math.min(Long.parseLong(value), Integer.MAX_VALUE));
    }

    /** The field names a qualified directive lists ({@code no-cache="Set-Cookie"}); empty when unqualified. */
    public String value(String name) {
        return values.getOrDefault(name, "");
    }
}
