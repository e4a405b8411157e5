package dev.meridian.glb.dns;

import dev.meridian.glb.GlbServiceConfig;
import dev.meridian.glb.answer.AnswerBookHolder;
import dev.meridian.glb.geo.GeoLocator;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.core.Handler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * UDP and TCP listeners on the DNS port. TCP messages are framed by a two-byte length (RFC 1035
 * 4.2.2); a connection may carry several queries and is closed when idle or when it sends a frame
 * that cannot be a DNS message.
 */
@ApplicationScoped
public class DnsServer {

    @Inject
    Vertx vertx;

    @Inject
    GlbServiceConfig config;

    @Inject
    AnswerBookHolder answers;

    @Inject
    GeoLocator locator;

    @Inject
    DnsMetrics metrics;

    private DnsResponder responder;
    private UdpDnsTransport udp;
    private NetServer tcp;

    void onStart(@Observes StartupEvent event) {
        responder = new DnsResponder(answers::book, locator::locate, metrics, System.currentTimeMillis() / 1000);
        GlbServiceConfig.Dns dns = config.dns();
        udp = new UdpDnsTransport(responder);
        int sockets = udp.bind(vertx.nettyEventLoopGroup(), dns.host(), dns.port(), dns.udpSockets());
        tcp = vertx.createNetServer(new NetServerOptions().setHost(dns.host()).setPort(dns.port())
                .setIdleTimeout(dns.tcpIdleSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS));
        tcp.connectHandler(this::serveTcp);
        tcp.listen().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        Log.infof("DNS listening on %s:%d (UDP on %d socket(s), TCP)", dns.host(), dns.port(), sockets);
    }

    void onStop(@Observes ShutdownEvent event) {
        Duration wait = Duration.ofSeconds(5);
        if (udp != null) {
            udp.close();
        }
        if (tcp != null) {
            tcp.close().toCompletionStage().toCompletableFuture().orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void serveTcp(NetSocket socket) {
        InetAddress source;
        try {
            source = InetAddress.getByName(socket.remoteAddress().host());
        } catch (UnknownHostException e) {
            socket.close();
            return;
        }
        RecordParser parser = RecordParser.newFixed(2);
        parser.handler(new Handler<>() {
            private boolean expectingLength = true;

            @Override
            public void handle(Buffer frame) {
                if (expectingLength) {
                    int length = frame.getUnsignedShort(0);
                    if (length < 12) {
                        // Shorter than a DNS header: not a DNS client; nothing more to read here.
                        socket.close();
                        return;
                    }
                    expectingLength = false;
                    parser.fixedSizeMode(length);
                    return;
                }
                expectingLength = true;
                parser.fixedSizeMode(2);
                byte[] response = responder.respond(frame.getBytes(), source, true);
                if (response != null) {
                    socket.write(Buffer.buffer(2 + response.length).appendUnsignedShort(response.length).appendBytes(response));
                }
            }
        });
        socket.handler(parser);
        socket.exceptionHandler(e -> socket.close());
    }
}
