package dev.meridian.glb.dns;

import dev.meridian.glb.Fixtures;
import dev.meridian.glb.answer.AnswerBook;
import dev.meridian.glb.config.GlbConfig;
import dev.meridian.glb.geo.CidrLocator;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The responder without sockets: the DNS behaviours the issue names, and a corpus of garbage. */
class DnsResponderTest {

    private static final GlbConfig CONFIG = Fixtures.config();
    private static final CidrLocator LOCATOR = CidrLocator.parse("""
            198.51.100.0/24  51.51  -0.13
            192.0.2.0/24     40.71 -74.01
            203.0.113.0/24   35.68 139.69
            """);
    private final AnswerBook book = AnswerBook.build(CONFIG, Set.of("eu", "us", "ap"), true);
    private final DnsResponder responder = new DnsResponder(() -> book, LOCATOR::locate, QueryObserver.NONE, 2026112701L);
    private final InetAddress unknownClient = address("127.0.0.1");

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Message ask(String name, int type, InetAddress client, boolean tcp, EDNSOption... options) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        if (options.length > 0) {
            query.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(options)), Section.ADDITIONAL);
        }
        return new Message(responder.respond(query.toWire(), client, tcp));
    }

    private static List<String> addresses(Message response) {
        return response.getSection(Section.ANSWER).stream().filter(r -> r instanceof ARecord)
                .map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
    }

    @Test
    void theClientsOwnAddressLocatesIt() throws Exception {
        Message london = ask("app.glb.test.", Type.A, address("198.51.100.7"), false);
        assertEquals(Rcode.NOERROR, london.getRcode());
        assertTrue(london.getHeader().getFlag(Flags.AA));
        assertEquals(List.of("192.0.2.10"), addresses(london));
        assertEquals(30, london.getSection(Section.ANSWER).get(0).getTTL());
    }

    @Test
    void clientSubnetWinsOverTheResolversAddressAndIsEchoedWithItsScope() throws Exception {
        ClientSubnetOption tokyo = new ClientSubnetOption(24, address("203.0.113.0"));
        Message response = ask("app.glb.test.", Type.A, address("198.51.100.7"), false, tokyo);
        assertEquals(List.of("192.0.2.30"), addresses(response));
        ClientSubnetOption echoed = (ClientSubnetOption) response.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET).get(0);
        assertEquals(24, echoed.getSourcePrefixLength());
        assertEquals(24, echoed.getScopePrefixLength());
        assertEquals(address("203.0.113.0"), echoed.getAddress());
    }

    @Test
    void anAnswerThatDoesNotDependOnLocationHasScopeZero() throws Exception {
        ClientSubnetOption subnet = new ClientSubnetOption(24, address("203.0.113.0"));
        Message response = ask("failover.glb.test.", Type.A, unknownClient, false, subnet);
        ClientSubnetOption echoed = (ClientSubnetOption) response.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET).get(0);
        assertEquals(0, echoed.getScopePrefixLength());
        assertEquals(List.of("192.0.2.10"), addresses(response));
    }

    @Test
    void nxdomainAndNodataCarryTheSoa() throws Exception {
        Message nx = ask("nope.glb.test.", Type.A, unknownClient, false);
        assertEquals(Rcode.NXDOMAIN, nx.getRcode());
        assertEquals(Type.SOA, nx.getSection(Section.AUTHORITY).get(0).getType());
        Message nodata = ask("app.glb.test.", Type.MX, unknownClient, false);
        assertEquals(Rcode.NOERROR, nodata.getRcode());
        assertTrue(nodata.getSection(Section.ANSWER).isEmpty());
        assertEquals(Type.SOA, nodata.getSection(Section.AUTHORITY).get(0).getType());
        Message noIpv6 = ask("app.glb.test.", Type.AAAA, address("192.0.2.9"), false);
        assertTrue(noIpv6.getSection(Section.ANSWER).isEmpty(), "us has no IPv6: NODATA");
    }

    @Test
    void theApexAnswersSoaAndNs() throws Exception {
        Message soa = ask("glb.test.", Type.SOA, unknownClient, false);
        assertEquals(2026112701L, ((org.xbill.DNS.SOARecord) soa.getSection(Section.ANSWER).get(0)).getSerial());
        Message ns = ask("glb.test.", Type.NS, unknownClient, false);
        assertEquals("ns1.glb.test.", ((org.xbill.DNS.NSRecord) ns.getSection(Section.ANSWER).get(0)).getTarget().toString());
    }

    @Test
    void refusedOutsideTheZone() throws Exception {
        Message refused = ask("example.com.", Type.A, unknownClient, false);
        assertEquals(Rcode.REFUSED, refused.getRcode());
        assertTrue(refused.getSection(Section.ANSWER).isEmpty());
        assertTrue(!refused.getHeader().getFlag(Flags.AA));
    }

    @Test
    void zoneTransfersAreRefused() throws Exception {
        assertEquals(Rcode.REFUSED, ask("glb.test.", Type.AXFR, unknownClient, true).getRcode());
        assertEquals(Rcode.REFUSED, ask("glb.test.", Type.IXFR, unknownClient, true).getRcode());
    }

    @Test
    void anyGetsAMinimalAnswer() throws Exception {
        Message any = ask("app.glb.test.", Type.ANY, unknownClient, false);
        assertEquals(1, any.getSection(Section.ANSWER).size());
        assertEquals(Type.HINFO, any.getSection(Section.ANSWER).get(0).getType());
    }

    @Test
    void otherOpcodesAndEdnsVersionsAreRefusedInTheirOwnTerms() throws Exception {
        Message notify = Message.newQuery(Record.newRecord(Name.fromString("glb.test."), Type.SOA, DClass.IN));
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        assertEquals(Rcode.NOTIMP, new Message(responder.respond(notify.toWire(), unknownClient, false)).getRcode());
        Message edns1 = Message.newQuery(Record.newRecord(Name.fromString("app.glb.test."), Type.A, DClass.IN));
        edns1.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
        assertEquals(Rcode.BADVERS, new Message(responder.respond(edns1.toWire(), unknownClient, false)).getRcode());
    }

    @Test
    void responsesAndShortPacketsAreDroppedGarbageGetsFormerr() throws Exception {
        Message response = Message.newQuery(Record.newRecord(Name.fromString("app.glb.test."), Type.A, DClass.IN));
        response.getHeader().setFlag(Flags.QR);
        assertNull(responder.respond(response.toWire(), unknownClient, false), "never answer an answer");
        assertNull(responder.respond(new byte[5], unknownClient, false));
        byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, (byte) 0xC0, (byte) 0xFF};
        Message formerr = new Message(responder.respond(garbage, unknownClient, false));
        assertEquals(Rcode.FORMERR, formerr.getRcode());
        assertEquals(0x1234, formerr.getHeader().getID());
    }

    @Test
    void aRepeatedQuestionIsAnsweredFromTheCacheWithItsOwnId() throws Exception {
        Message first = Message.newQuery(Record.newRecord(Name.fromString("app.glb.test."), Type.A, DClass.IN));
        Message second = Message.newQuery(Record.newRecord(Name.fromString("app.glb.test."), Type.A, DClass.IN));
        second.getHeader().setID(first.getHeader().getID() ^ 0x5a5a);
        InetAddress london = address("198.51.100.7");
        byte[] a = responder.respond(first.toWire(), london, false);
        byte[] b = responder.respond(second.toWire(), london, false);
        assertEquals(first.getHeader().getID(), new Message(a).getHeader().getID());
        assertEquals(second.getHeader().getID(), new Message(b).getHeader().getID());
        assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOfRange(a, 2, a.length)),
                java.util.Arrays.toString(java.util.Arrays.copyOfRange(b, 2, b.length)));
        assertEquals(List.of("192.0.2.10"), addresses(new Message(responder.respond(first.toWire(), address("198.51.100.8"), false))));
        assertEquals(List.of("192.0.2.20", "192.0.2.21"), addresses(new Message(responder.respond(first.toWire(),
                address("192.0.2.9"), false))), "another source address is another question");
    }

    @Test
    void aNewAnswerBookEmptiesTheCache() throws Exception {
        java.util.concurrent.atomic.AtomicReference<AnswerBook> current = new java.util.concurrent.atomic.AtomicReference<>(book);
        DnsResponder switching = new DnsResponder(current::get, LOCATOR::locate, QueryObserver.NONE, 1);
        byte[] query = Message.newQuery(Record.newRecord(Name.fromString("app.glb.test."), Type.A, DClass.IN)).toWire();
        InetAddress london = address("198.51.100.7");
        assertEquals(List.of("192.0.2.10"), addresses(new Message(switching.respond(query, london, false))));
        current.set(AnswerBook.build(CONFIG, Set.of("us", "ap"), true));
        assertEquals(List.of("192.0.2.20", "192.0.2.21"), addresses(new Message(switching.respond(query, london, false))));
    }

    @Test
    void roundRobinAnswersAreNeverCached() throws Exception {
        byte[] query = Message.newQuery(Record.newRecord(Name.fromString("rr.glb.test."), Type.A, DClass.IN)).toWire();
        java.util.Set<List<String>> seen = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            seen.add(addresses(new Message(responder.respond(query, unknownClient, false))));
        }
        assertEquals(3, seen.size(), "three regions in turn");
    }

    @Test
    void aCorpusOfRandomAndMangledPacketsNeverThrows() throws Exception {
        Random random = new Random(7871);
        byte[] valid = Message.newQuery(Record.newRecord(Name.fromString("app.glb.test."), Type.A, DClass.IN)).toWire();
        for (int i = 0; i < 20_000; i++) {
            byte[] packet;
            if (i % 2 == 0) {
                packet = new byte[random.nextInt(600)];
                random.nextBytes(packet);
            } else {
                packet = valid.clone();
                for (int flips = 0; flips < 1 + random.nextInt(6); flips++) {
                    packet[random.nextInt(packet.length)] = (byte) random.nextInt(256);
                }
            }
            byte[] reply = responder.respond(packet, unknownClient, i % 3 == 0);
            if (reply != null) {
                new Message(reply);
            }
        }
    }
}
