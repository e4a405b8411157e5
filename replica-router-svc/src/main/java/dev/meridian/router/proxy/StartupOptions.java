package dev.meridian.router.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code options} startup parameter (libpq's {@code PGOPTIONS}, pgjdbc's {@code options}): the
 * command-line switches PostgreSQL would take, of which only settings ({@code -c name=value},
 * {@code -cname=value}, {@code --name=value}) mean anything to a pooled session.
 */
final class StartupOptions {

    private StartupOptions() {
    }

    /**
     * The settings the switches name, in order (a later one wins); names as given, with dashes read
     * as underscores as PostgreSQL reads them. Throws on any other switch, or a setting without a value.
     */
    static Map<String, String> settings(String options) {
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> words = words(options);
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String assignment;
            if (word.equals("-c")) {
                if (++i == words.size()) {
                    throw new IllegalArgumentException("-c without a setting");
                }
                assignment = words.get(i);
            } else if (word.startsWith("--")) {
                assignment = word.substring(2);
            } else if (word.startsWith("-c")) {
                assignment = word.substring(2);
            } else {
                throw new IllegalArgumentException("only -c name=value is supported, not " + word);
            }
            int equals = assignment.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("-c " + assignment + " does not give a value");
            }
            settings.put(assignment.substring(0, equals).replace('-', '_'), assignment.substring(equals + 1));
        }
        return settings;
    }

    /** Split at unescaped whitespace; a backslash takes the next character as it is (as PostgreSQL splits them). */
    private static List<String> words(String options) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\\' && i + 1 < options.length()) {
                c = options.charAt(++i);
            }
            word.append(c);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
