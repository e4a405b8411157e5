package dev.meridian.cache.http;

/** One header field line as received. */
public record Header(String name, String value) {
}
