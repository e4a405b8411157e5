package dev.meridian.ws.config;

import dev.meridian.ws.config.WsConfig.ChannelOptions;
import dev.meridian.ws.protocol.ClientError;
import dev.meridian.ws.protocol.CommandException;

import java.util.Map;

/**
 * Channel names and the options that apply to them. {@code news:sports} belongs to namespace
 * {@code news}; a name without a colon to the default options. Unknown namespaces are refused
 * (102), as are names Redis keys and pub/sub channels could not carry safely.
 */
public final class Namespaces {

    /** Longest channel name accepted. */
    public static final int MAX_NAME = 255;

    private final ChannelOptions defaults;
    private final Map<String, ChannelOptions> namespaces;

    public Namespaces(ChannelOptions defaults, Map<String, ChannelOptions> namespaces) {
        this.defaults = defaults;
        this.namespaces = Map.copyOf(namespaces);
    }

    public ChannelOptions resolve(String channel) {
        if (channel.isEmpty() || channel.length() > MAX_NAME || !legal(channel)) {
            throw new CommandException(ClientError.BAD_REQUEST, "channel names are 1-" + MAX_NAME
                    + " characters of letters, digits and _-=@.:/!#$+;, (no spaces or braces)");
        }
        int colon = channel.indexOf(':');
        if (colon < 0) {
            return defaults;
        }
        ChannelOptions options = namespaces.get(channel.substring(0, colon));
        if (options == null) {
            throw new CommandException(ClientError.UNKNOWN_CHANNEL, "unknown namespace " + channel.substring(0, colon));
        }
        return options;
    }

    private static boolean legal(String channel) {
        for (int i = 0; i < channel.length(); i++) {
            char c = channel.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_-=@.:/!#$+;,".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
