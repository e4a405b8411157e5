package dev.meridian.glb;

import dev.meridian.platform.flags.Flag;
import dev.meridian.platform.flags.RuntimeFlags;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Random;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The global-lb flag, and hostile packets against the real sockets. */
@QuarkusTest
@QuarkusTestResource(GlbTestResource.class)
class GlobalLbFlagAndAbuseTest {

    @Inject
    RuntimeFlags flags;

    @AfterEach
    void restore() {
        if (!flags.isEnabled(Flag.GLOBAL_LB)) {
            flags.set(Flag.GLOBAL_LB, true, "test").await().atMost(Duration.ofSeconds(2));
            await().atMost(Duration.ofSeconds(2)).until(() -> flags.isEnabled(Flag.GLOBAL_LB));
        }
    }

    @Test
    void flagOffAnswersThePrimaryRegionOnly() throws Exception {
        assertEquals(List.of("10.30.0.1"), GeoDnsDigTest.answers("app.glb.test", "A", "+subnet=203.0.113.0/24"));

        flags.set(Flag.GLOBAL_LB, false, "test").await().atMost(Duration.ofSeconds(2));

        await().atMost(Duration.ofSeconds(2)).until(() ->
                GeoDnsDigTest.answers("app.glb.test", "A", "+subnet=203.0.113.0/24", "+tcp").size() == 60);
    }

    @Test
    void aBurstFromSeveralClientsIsAnsweredEachToItsSenderWithItsId() throws Exception {
        // Queries are read many per system call and answered in batches: every answer must still
        // reach the socket that asked, carrying that query's ID.
        int clients = 4;
        int perClient = 100;
        List<DatagramSocket> sockets = new ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                DatagramSocket socket = new DatagramSocket();
                socket.setReceiveBufferSize(1 << 20);
                socket.setSoTimeout(3000);
                sockets.add(socket);
            }
            InetAddress loopback = InetAddress.getLoopbackAddress();
            for (int i = 0; i < perClient; i++) {
                for (int c = 0; c < clients; c++) {
                    Message query = Message.newQuery(Record.newRecord(Name.fromString("app.glb.test."), Type.A, DClass.IN));
                    query.getHeader().setID(c * 1000 + i);
                    byte[] wire = query.toWire();
                    sockets.get(c).send(new DatagramPacket(wire, wire.length, loopback, GlbTestResource.dnsPort));
                }
            }
            for (int c = 0; c < clients; c++) {
                Set<Integer> ids = new HashSet<>();
                byte[] buffer = new byte[1500];
                while (ids.size() < perClient) {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    sockets.get(c).receive(packet);
                    Message response = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
                    int id = response.getHeader().getID();
                    assertEquals(c, id / 1000, "an answer for client " + id / 1000 + " reached client " + c);
                    assertEquals(Rcode.NOERROR, response.getRcode());
                    assertEquals(Name.fromString("app.glb.test."), response.getQuestion().getName());
                    assertTrue(ids.add(id), "answered twice: " + id);
                }
            }
        } finally {
            sockets.forEach(DatagramSocket::close);
        }
    }

    @Test
    void garbageOverUdpAndTcpLeavesTheServerAnswering() throws Exception {
        Random random = new Random(42);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket udp = new DatagramSocket()) {
            for (int i = 0; i < 2000; i++) {
                byte[] packet = new byte[random.nextInt(1500)];
                random.nextBytes(packet);
                udp.send(new DatagramPacket(packet, packet.length, loopback, GlbTestResource.dnsPort));
            }
        }
        // A flood may overflow the socket's receive queue, and UDP drops what does not fit: the server
        // must still be answering once the flood has passed, not necessarily during it.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() ->
                GeoDnsDigTest.dig("app.glb.test", "A", "+subnet=203.0.113.0/24").contains("10.30.0.1"));
        for (int i = 0; i < 20; i++) {
            try (Socket tcp = new Socket(loopback, GlbTestResource.dnsPort)) {
                OutputStream out = tcp.getOutputStream();
                byte[] junk = new byte[random.nextInt(3000)];
                random.nextBytes(junk);
                out.write(junk);
                out.flush();
            }
        }
        try (Socket slow = new Socket(loopback, GlbTestResource.dnsPort)) {
            slow.getOutputStream().write(new byte[] {0x01});
            // a half-sent frame must not hold anything up for anyone else
            String answer = GeoDnsDigTest.dig("app.glb.test", "A", "+subnet=203.0.113.0/24");
            assertTrue(answer.contains("10.30.0.1"), answer);
        }
        assertEquals(List.of("10.20.0.1"), GeoDnsDigTest.answers("app.glb.test", "A", "+subnet=192.0.2.0/24", "+tcp"));
    }
}
