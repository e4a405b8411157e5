package dev.meridian.ws.broker;

/**
 * The text a publication, join or leave travels in between nodes over pub/sub. Newline-separated
 * fields so no JSON has to be parsed on the hot path; data and info are compact JSON (no raw
 * newlines), and data, the last field, may hold anything.
 *
 * <pre>
 * p\n&lt;offset&gt;\n&lt;epoch&gt;\n&lt;millis&gt;\n&lt;info or empty&gt;\n&lt;data&gt;
 * j\n&lt;client info&gt;
 * l\n&lt;client info&gt;
 * </pre>
 */
public final class FanoutMessage {

    private FanoutMessage() {
    }

    public static String join(String clientInfo) {
        return "j\n" + clientInfo;
    }

    public static String leave(String clientInfo) {
        return "l\n" + clientInfo;
    }

    /** Hands a received message to the listener; malformed text is reported as such. */
    public static void dispatch(String channel, String text, Broker.Listener listener) {
        if (text.length() < 2 || text.charAt(1) != '\n') {
            throw new IllegalArgumentException("fan-out message without a kind");
        }
        char kind = text.charAt(0);
        if (kind == 'j') {
            listener.onJoin(channel, text.substring(2));
            return;
        }
        if (kind == 'l') {
            listener.onLeave(channel, text.substring(2));
            return;
        }
        if (kind != 'p') {
            throw new IllegalArgumentException("unknown fan-out kind " + kind);
        }
        int a = text.indexOf('\n', 2);
        int b = a < 0 ? -1 : text.indexOf('\n', a + 1);
        int c = b < 0 ? -1 : text.indexOf('\n', b + 1);
        int d = c < 0 ? -1 : text.indexOf('\n', c + 1);
        if (d < 0) {
            throw new IllegalArgumentException("truncated publication");
        }
        long offset = Long.parseLong(text, 2, a, 10);
        String epoch = text.substring(a + 1, b);
        long millis = Long.parseLong(text, b + 1, c, 10);
        String info = c + 1 == d ? null : text.substring(c + 1, d);
        listener.onPublication(channel, epoch, new Publication(offset, text.substring(d + 1), info, millis));
    }
}
