package dev.meridian.router.probe;

/** PostgreSQL WAL positions ({@code pg_lsn} text such as {@code 16/B374D848}) as unsigned 64-bit numbers. */
public final class Lsn {

    private Lsn() {
    }

    public static long parse(String text) {
        if (text == null) {
            return 0;
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not an LSN: " + text);
        }
        long high = Long.parseLong(text.substring(0, slash), 16);
        long low = Long.parseLong(text.substring(slash + 1), 16);
        return high << 32 | low;
    }

    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }
}
