package dev.meridian.ratelimit.config;

/**
 * {@code *} in a descriptor value matches any run of characters (envoyproxy/ratelimit's trailing
 * {@code value*} prefix match is the common case). Iterative, so a hostile value cannot make it
 * backtrack exponentially.
 */
public final class Wildcards {

    private Wildcards() {
    }

    public static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == text.charAt(t) && pattern.charAt(p) != '*') {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
