package dev.meridian.router.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PgBouncer's userlist format: one {@code "user" "secret"} per line, where the secret is a
 * password in clear, {@code md5…} or {@code SCRAM-SHA-256$…}; {@code ;} starts a comment line and
 * a doubled {@code ""} is a quote inside a field.
 */
public final class Userlist {

    private final Map<String, String> secrets;

    private Userlist(Map<String, String> secrets) {
        this.secrets = Map.copyOf(secrets);
    }

    public static Userlist empty() {
        return new Userlist(Map.of());
    }

    public static Userlist load(Path file) throws IOException {
        return parse(file.toString(), Files.readAllLines(file));
    }

    public static Userlist parse(String source, List<String> lines) {
        Map<String, String> secrets = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            int[] at = {0};
            String user = quoted(line, at, source, i + 1);
            String secret = quoted(line, at, source, i + 1);
            if (!line.substring(at[0]).isBlank()) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": text after the secret");
            }
            if (secrets.put(user, secret) != null) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": user \"" + user + "\" listed twice");
            }
        }
        return new Userlist(secrets);
    }

    private static String quoted(String line, int[] at, String source, int lineNumber) {
        int i = at[0];
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        if (i >= line.length() || line.charAt(i) != '"') {
            throw new IllegalArgumentException(source + ":" + lineNumber + ": expected a \"quoted\" field");
        }
        StringBuilder value = new StringBuilder();
        i++;
        while (true) {
            if (i >= line.length()) {
                throw new IllegalArgumentException(source + ":" + lineNumber + ": unterminated quote");
            }
            char c = line.charAt(i++);
            if (c == '"') {
                if (i < line.length() && line.charAt(i) == '"') {
                    value.append('"');
                    i++;
                    continue;
                }
                break;
            }
            value.append(c);
        }
        at[0] = i;
        return value.toString();
    }

    public Optional<String> secret(String user) {
        return Optional.ofNullable(secrets.get(user));
    }

    public int size() {
        return secrets.size();
    }
}
