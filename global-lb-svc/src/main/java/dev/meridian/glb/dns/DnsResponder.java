package dev.meridian.glb.dns;

import dev.meridian.glb.answer.AnswerBook;
import dev.meridian.glb.config.GlbConfig;
import dev.meridian.glb.config.GlobalName;
import dev.meridian.glb.config.RegionConfig;
import dev.meridian.glb.geo.Location;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.HINFORecord;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import dev.meridian.glb.config.Policy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers one DNS message: authoritative for one zone (SOA, NS at the apex; A/AAAA for the global
 * names), NXDOMAIN versus NODATA with the SOA for negative caching, REFUSED outside the zone (never
 * an open resolver), minimal answers to ANY (RFC 8482), EDNS Client Subnet (RFC 7871) for the
 * client's location with the scope echoed, truncation (TC) over UDP beyond the client's payload
 * size. Garbage gets FORMERR when its header is readable and is dropped otherwise.
 *
 * <p>Answers are cached as wire bytes, keyed by the query's bytes after its ID, the transport and
 * the source address, for as long as the {@link AnswerBook} they came from is current: a repeated
 * question is a map lookup and a copy. Weighted and round-robin answers vary per query and are
 * never cached.
 */
public final class DnsResponder {

    static final int CLASSIC_UDP_LIMIT = 512;
    static final int CACHE_ENTRIES = 10_000;
    static final int MAX_UDP_PAYLOAD = 1232;

    private final Supplier<AnswerBook> book;
    private final Function<InetAddress, Optional<Location>> locator;
    private final QueryObserver observer;
    private final long serial;
    private final Map<CacheKey, Cached> cache = new ConcurrentHashMap<>();
    private volatile AnswerBook cachedFor;

    /** The query as it matters for its answer: its bytes after the ID, the transport, who asked. */
    private record CacheKey(ByteBuffer query, boolean tcp, ByteBuffer source) {
    }

    private record Cached(byte[] response, String type, String rcode, String region) {
    }

    public DnsResponder(Supplier<AnswerBook> book, Function<InetAddress, Optional<Location>> locator, QueryObserver observer,
            long serial) {
        this.book = book;
        this.locator = locator;
        this.observer = observer;
        this.serial = serial;
    }

    /** The response to send, or null to send nothing. */
    public byte[] respond(byte[] wire, InetAddress source, boolean tcp) {
        if (wire.length < Header.LENGTH) {
            return null;
        }
        AnswerBook current = book.get();
        if (current != cachedFor) {
            cache.clear();
            cachedFor = current;
        }
        CacheKey key = new CacheKey(ByteBuffer.wrap(wire, 2, wire.length - 2).slice(), tcp, ByteBuffer.wrap(source.getAddress()));
        Cached hit = cache.get(key);
        if (hit != null) {
            byte[] response = hit.response().clone();
            response[0] = wire[0];
            response[1] = wire[1];
            observer.onAnswer(hit.type(), hit.rcode(), hit.region());
            return response;
        }
        Answer answer = answer(wire, source, tcp, current);
        if (answer.cacheable() && answer.bytes() != null) {
            if (cache.size() >= CACHE_ENTRIES) {
                cache.clear();
            }
            cache.put(key, new Cached(answer.bytes(), answer.type(), answer.rcode(), answer.region()));
        }
        if (answer.bytes() != null) {
            observer.onAnswer(answer.type(), answer.rcode(), answer.region());
        }
        return answer.bytes();
    }

    /** A response and what it says, for metrics and the cache. */
    private record Answer(byte[] bytes, String type, String rcode, String region, boolean cacheable) {
    }

    private Answer answer(byte[] wire, InetAddress source, boolean tcp, AnswerBook answers) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException | RuntimeException e) {
            return formatError(wire);
        }
        Header header = query.getHeader();
        if (header.getFlag(Flags.QR)) {
            return new Answer(null, "response", "dropped", null, false);
        }
        Message response = new Message(header.getID());
        Header out = response.getHeader();
        out.setFlag(Flags.QR);
        if (header.getFlag(Flags.RD)) {
            out.setFlag(Flags.RD);
        }
        out.setOpcode(header.getOpcode());
        List<Record> questions = query.getSection(Section.QUESTION);
        OPTRecord opt = query.getOPT();
        int limit = tcp ? 65_535 : opt == null ? CLASSIC_UDP_LIMIT
                : Math.max(CLASSIC_UDP_LIMIT, Math.min(MAX_UDP_PAYLOAD, opt.getPayloadSize()));
        if (header.getOpcode() != Opcode.QUERY) {
            return finish(response, Rcode.NOTIMP, "opcode", null, opt, null, limit, false);
        }
        if (questions.size() != 1) {
            return finish(response, Rcode.FORMERR, "malformed", null, opt, null, limit, false);
        }
        Record question = questions.get(0);
        response.addRecord(question, Section.QUESTION);
        String type = Type.string(question.getType());
        if (opt != null && opt.getVersion() > 0) {
            return finish(response, Rcode.BADVERS, type, null, opt, null, limit, false);
        }
        GlbConfig config = answers.config();
        Name name = question.getName();
        if (!name.subdomain(config.zone()) || question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
            // Never cached: names outside the zone are for anyone to invent.
            return finish(response, Rcode.REFUSED, type, null, opt, null, limit, false);
        }
        if (question.getType() == Type.AXFR || question.getType() == Type.IXFR) {
            // Answers are computed per client; there is no zone to transfer.
            return finish(response, Rcode.REFUSED, type, null, opt, null, limit, false);
        }
        out.setFlag(Flags.AA);
        ClientSubnetOption subnet = clientSubnet(opt);
        if (name.equals(config.zone())) {
            apex(response, question.getType(), config);
            return finish(response, Rcode.NOERROR, type, null, opt, subnet == null ? null : scoped(subnet, 0), limit, true);
        }
        Optional<GlobalName> global = config.names().stream().filter(n -> n.name().equals(name)).findFirst();
        if (global.isEmpty()) {
            response.addRecord(soa(config), Section.AUTHORITY);
            // Not cached either: any label under the zone is a distinct key.
            return finish(response, Rcode.NXDOMAIN, type, null, opt, subnet == null ? null : scoped(subnet, 0), limit, false);
        }
        Optional<Location> location = subnet != null ? locator.apply(subnet.getAddress()) : locator.apply(source);
        RegionConfig region = answers.select(global.get(), location);
        int scope = !answers.dependsOnLocation(global.get()) ? 0
                : location.map(l -> Math.min(l.prefixLength(), subnet == null ? 128 : subnet.getSourcePrefixLength()))
                        .orElse(subnet == null ? 0 : subnet.getSourcePrefixLength());
        int qtype = question.getType();
        long ttl = global.get().ttl();
        boolean any = qtype == Type.ANY;
        if (any) {
            // RFC 8482: one synthesized HINFO instead of everything.
            response.addRecord(new HINFORecord(name, DClass.IN, ttl, "RFC8482", ""), Section.ANSWER);
        }
        if (qtype == Type.A) {
            region.ipv4().forEach(a -> response.addRecord(new ARecord(name, DClass.IN, ttl, a), Section.ANSWER));
        } else if (qtype == Type.AAAA) {
            region.ipv6().forEach(a -> response.addRecord(new AAAARecord(name, DClass.IN, ttl, a), Section.ANSWER));
        }
        if (response.getSection(Section.ANSWER).isEmpty()) {
            response.addRecord(soa(config), Section.AUTHORITY);
        }
        boolean varies = global.get().policy() == Policy.WEIGHTED || global.get().policy() == Policy.ROUND_ROBIN;
        return finish(response, Rcode.NOERROR, type, region.name(), opt, subnet == null ? null : scoped(subnet, scope), limit, !varies);
    }

    private void apex(Message response, int qtype, GlbConfig config) {
        if (qtype == Type.SOA || qtype == Type.ANY) {
            response.addRecord(soa(config), Section.ANSWER);
        }
        if (qtype == Type.NS) {
            for (Name ns : config.nameservers()) {
                response.addRecord(new NSRecord(config.zone(), DClass.IN, config.ttl(), ns), Section.ANSWER);
            }
        }
        if (response.getSection(Section.ANSWER).isEmpty()) {
            response.addRecord(soa(config), Section.AUTHORITY);
        }
    }

    private SOARecord soa(GlbConfig config) {
        long ttl = config.ttl();
        return new SOARecord(config.zone(), DClass.IN, ttl, config.nameservers().get(0), config.hostmaster(), serial,
                3600, 600, 604_800, ttl);
    }

    private static ClientSubnetOption clientSubnet(OPTRecord opt) {
        if (opt == null) {
            return null;
        }
        for (EDNSOption option : opt.getOptions(EDNSOption.Code.CLIENT_SUBNET)) {
            if (option instanceof ClientSubnetOption subnet) {
                return subnet;
            }
        }
        return null;
    }

    private static ClientSubnetOption scoped(ClientSubnetOption subnet, int scope) {
        return new ClientSubnetOption(subnet.getSourcePrefixLength(), Math.min(scope, subnet.getAddress().getAddress().length * 8),
                subnet.getAddress());
    }

    private Answer finish(Message response, int rcode, String type, String region, OPTRecord queryOpt,
            ClientSubnetOption subnet, int limit, boolean cacheable) {
        if (queryOpt != null) {
            List<EDNSOption> options = subnet == null ? List.of() : List.of(subnet);
            response.addRecord(new OPTRecord(MAX_UDP_PAYLOAD, rcode >> 4, 0, 0, options), Section.ADDITIONAL);
        }
        response.getHeader().setRcode(rcode & 0xF);
        return new Answer(response.toWire(limit), type, Rcode.string(rcode), region, cacheable);
    }

    private Answer formatError(byte[] wire) {
        boolean isResponse = (wire[2] & 0x80) != 0;
        if (isResponse) {
            return new Answer(null, "response", "dropped", null, false);
        }
        Message response = new Message(((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF));
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setRcode(Rcode.FORMERR);
        return new Answer(response.toWire(), "malformed", "FORMERR", null, false);
    }
}
