package dev.meridian.glb.dns;

import dev.meridian.glb.GlbServiceConfig;
import dev.meridian.glb.answer.AnswerBookHolder;
import dev.meridian.glb.geo.GeoLocator;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
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
    private final java.util.List<DatagramSocket> udpSockets = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** One UDP socket on the DNS port, on the event loop of its own verticle instance. */
    private final class UdpListener extends AbstractVerticle {
        private final boolean reusePort;

        UdpListener(boolean reusePort) {
            this.reusePort = reusePort;
        }

        @Override
        public void start(Promise<Void> started) {
            DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions()
                    .setReceiveBufferSize(1 << 20).setReuseAddress(reusePort).setReusePort(reusePort));
            socket.handler(packet -> answerUdp(socket, packet));
            socket.listen(config.dns().port(), config.dns().host()).onSuccess(bound -> {
                udpSockets.add(socket);
                started.complete();
            }).onFailure(started::fail);
        }
    }
    private NetServer tcp;

    void onStart(@Observes StartupEvent event) {
        responder = new DnsResponder(answers::book, locator::locate, metrics, System.currentTimeMillis() / 1000);
        GlbServiceConfig.Dns dns = config.dns();
        boolean reusePort = vertx.isNativeTransportEnabled();
        int sockets = reusePort ? Math.max(1, dns.udpSockets()) : 1;
        // One verticle instance per socket: Vert.x gives each instance its own event loop, and with
        // SO_REUSEPORT the kernel spreads datagrams across the sockets.
        vertx.deployVerticle(() -> new UdpListener(reusePort), new DeploymentOptions().setInstances(sockets))
                .toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        tcp = vertx.createNetServer(new NetServerOptions().setHost(dns.host()).setPort(dns.port())
                .setIdleTimeout(dns.tcpIdleSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS));
        tcp.connectHandler(this::serveTcp);
        tcp.listen().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        Log.infof("DNS listening on %s:%d (UDP on %d socket(s), TCP)", dns.host(), dns.port(), sockets);
    }

    void onStop(@Observes ShutdownEvent event) {
        Duration wait = Duration.ofSeconds(5);
        udpSockets.forEach(socket -> socket.close().toCompletionStage().toCompletableFuture()
                .orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS));
        if (tcp != null) {
            tcp.close().toCompletionStage().toCompletableFuture().orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void answerUdp(DatagramSocket socket, io.vertx.core.datagram.DatagramPacket packet) {
        try {
            InetAddress source = InetAddress.getByName(packet.sender().host());
            byte[] response = responder.respond(packet.data().getBytes(), source, false);
            if (response != null) {
                socket.send(Buffer.buffer(response), packet.sender().port(), packet.sender().host());
            }
        } catch (UnknownHostException | RuntimeException e) {
            Log.debugf("dropped a UDP query: %s", e.toString());
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
