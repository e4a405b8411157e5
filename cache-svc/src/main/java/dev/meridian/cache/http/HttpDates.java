package dev.meridian.cache.http;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The common case of HTTP-date without a formatter: IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37
 * GMT}, fixed positions), which is what servers send. Anything else falls back to the general parser.
 */
final class HttpDates {

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private HttpDates() {
    }

    /** Epoch milliseconds, or null when the text is not exactly an IMF-fixdate. */
    static Long imfFixdate(String text) {
        String value = text.strip();
        if (value.length() != 29 || value.charAt(3) != ',' || !value.endsWith(" GMT")) {
            return null;
        }
        int month = MONTHS.indexOf(value.substring(8, 11));
        if (month < 0 || month % 3 != 0) {
            return null;
        }
        try {
            int day = digits(value, 5, 2);
            int year = digits(value, 12, 4);
            int hour = digits(value, 17, 2);
            int minute = digits(value, 20, 2);
            int second = digits(value, 23, 2);
            return LocalDateTime.of(year, month / 3 + 1, day, hour, minute, second).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(text);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
