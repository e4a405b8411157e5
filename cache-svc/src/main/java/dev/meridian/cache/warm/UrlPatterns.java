package dev.meridian.cache.warm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what an operator asks to warm into URLs: literal paths as given; globs ({@code *} within a
 * path segment, {@code **} across segments, {@code ?} one character) matched against the known
 * URLs of a sitemap or a plain list.
 */
public final class UrlPatterns {

    private static final Pattern LOC = Pattern.compile("<loc>\\s*([^<\\s]+)\\s*</loc>");

    private UrlPatterns() {
    }

    /** The {@code <loc>} entries of a sitemap (or sitemap index), or the non-blank lines of a plain list. */
    public static List<String> known(String document) {
        List<String> urls = new ArrayList<>();
        Matcher locations = LOC.matcher(document);
        while (locations.find()) {
            urls.add(locations.group(1).replace("&amp;", "&"));
        }
        if (!urls.isEmpty()) {
            return urls;
        }
        for (String line : document.split("\\R")) {
            String url = line.strip();
            if (!url.isEmpty() && !url.startsWith("#")) {
                urls.add(url);
            }
        }
        return urls;
    }

    /** Paths to warm: every literal request, and every known URL matching a glob; in order, once each. */
    public static List<String> expand(List<String> requested, List<String> known) {
        Set<String> paths = new LinkedHashSet<>();
        for (String item : requested) {
            String wanted = pathOf(item);
            if (!isGlob(wanted)) {
                paths.add(wanted);
                continue;
            }
            Pattern glob = compile(wanted);
            for (String url : known) {
                String path = pathOf(url);
                if (glob.matcher(path).matches()) {
                    paths.add(path);
                }
            }
        }
        return List.copyOf(paths);
    }

    static boolean isGlob(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?', 0) >= 0 && text.indexOf('?') < queryStart(text);
    }

    private static int queryStart(String text) {
        int q = text.indexOf('?');
        // A '?' followed by name= is a query string, not a glob.
        return q >= 0 && text.indexOf('=', q) > q ? -1 : Integer.MAX_VALUE;
    }

    /** Path and query of an absolute URL; a path is returned as given. */
    static String pathOf(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int slash = url.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : url.substring(slash);
    }

    /** The regular expression of a path glob. */
    public static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
