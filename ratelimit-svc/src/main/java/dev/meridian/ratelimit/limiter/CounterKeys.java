package dev.meridian.ratelimit.limiter;

import dev.meridian.ratelimit.config.DescriptorEntry;
import dev.meridian.ratelimit.config.LimitRule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Counter keys: {@code {<domain>|<k>=<v>|…}:<algorithm><window>:<n>}. The braces make the whole
 * descriptor the Redis Cluster hash tag, so all limits of one descriptor share a slot. Values are
 * percent-escaped where they could forge a separator or end the tag; long ones are digested.
 */
public final class CounterKeys {

    private static final int MAX_TAG_CHARS = 256;

    private CounterKeys() {
    }

    public static String key(String domain, List<DescriptorEntry> entries, LimitRule rule, String slot) {
        StringBuilder tag = new StringBuilder(escape(domain));
        for (DescriptorEntry entry : entries) {
            tag.append('|').append(escape(entry.key())).append('=').append(escape(entry.value()));
        }
        String hashTag = tag.length() > MAX_TAG_CHARS ? "#" + sha256(tag.toString()) : tag.toString();
        return "{" + hashTag + "}:" + rule.algorithm().yamlName().charAt(0) + rule.window().toMillis() + ":" + slot;
    }

    static String escape(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (char c : raw.toCharArray()) {
            switch (c) {
                case '%', '|', '=', '{', '}', '#' -> out.append('%').append(String.format("%02X", (int) c));
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
