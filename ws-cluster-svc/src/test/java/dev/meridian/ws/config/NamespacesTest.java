package dev.meridian.ws.config;

import dev.meridian.ws.protocol.ClientError;
import dev.meridian.ws.protocol.CommandException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NamespacesTest {

    private static WsConfig.ChannelOptions options() {
        return (WsConfig.ChannelOptions) Proxy.newProxyInstance(NamespacesTest.class.getClassLoader(),
                new Class<?>[] {WsConfig.ChannelOptions.class}, (proxy, method, args) -> null);
    }

    private final WsConfig.ChannelOptions defaults = options();
    private final WsConfig.ChannelOptions chat = options();
    private final Namespaces namespaces = new Namespaces(defaults, Map.of("chat", chat));

    @Test
    void theNamespaceIsThePartBeforeTheFirstColon() {
        assertSame(chat, namespaces.resolve("chat:room:42"));
        assertSame(defaults, namespaces.resolve("news"));
    }

    @Test
    void anUnknownNamespaceIsAnUnknownChannel() {
        assertEquals(ClientError.UNKNOWN_CHANNEL, assertThrows(CommandException.class, () -> namespaces.resolve("nope:x")).error());
    }

    @Test
    void namesRedisCouldNotCarrySafelyAreBadRequests() {
        for (String bad : new String[] {"", "a b", "a{b}", "line\nbreak", "x".repeat(256)}) {
            assertEquals(ClientError.BAD_REQUEST, assertThrows(CommandException.class, () -> namespaces.resolve(bad)).error(), bad);
        }
    }
}
