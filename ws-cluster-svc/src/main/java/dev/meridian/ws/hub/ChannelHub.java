package dev.meridian.ws.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meridian.ws.broker.Broker;
import dev.meridian.ws.broker.Publication;
import dev.meridian.ws.config.WsConfig.ChannelOptions;
import dev.meridian.ws.protocol.Method;
import io.quarkus.logging.Log;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One channel on this node: its local subscribers and the offset delivered to them. Publications
 * reach subscribers strictly one offset after another: a duplicate is dropped, a gap is filled from
 * the channel's history first, and when history cannot fill it (trimmed, or a new epoch) every
 * subscriber is told to resubscribe, which recovers or reports that recovery is impossible. Nothing
 * is skipped silently.
 *
 * <p>Confined to the hubs' context: no locks; broker replies are brought back onto it.
 */
public final class ChannelHub {

    /** Unsubscribe push code that makes the SDK subscribe again (and recover). */
    public static final int RESUBSCRIBE_CODE = 2500;

    /** How long a publication the stream already has may take to arrive through pub/sub before it is read from the stream. */
    static final long FANOUT_GRACE_MILLIS = 250;

    private enum Phase { ACTIVATING, LIVE, FILLING, CLOSED }

    private record Pending(String epoch, Publication publication) {
    }

    private static final class Member {
        final JoinRequest request;
        long after;
        boolean live;
        List<Publication> held;

        Member(JoinRequest request) {
            this.request = request;
        }
    }

    private final String channel;
    private final ChannelOptions options;
    private final Broker broker;
    private final Hubs hubs;
    private final Map<Subscriber, Member> members = new LinkedHashMap<>();
    private final List<JoinRequest> joining = new ArrayList<>();
    private final TreeMap<Long, Pending> waiting = new TreeMap<>();
    private Phase phase = Phase.ACTIVATING;
    private long last;
    private String epoch = "";

    ChannelHub(String channel, ChannelOptions options, Broker broker, Hubs hubs) {
        this.channel = channel;
        this.options = options;
        this.broker = broker;
        this.hubs = hubs;
    }

    String channel() {
        return channel;
    }

    /** The broker this channel's subscribers were admitted through (presence goes there too). */
    public Broker brokerInUse() {
        return broker;
    }

    ChannelOptions options() {
        return options;
    }

    /** Follows the channel, then reads its position: publications that arrive meanwhile wait and are filtered by it. */
    void activate() {
        hubs.onHub(broker.follow(channel).chain(() -> broker.position(channel, options)), position -> {
            if (phase == Phase.CLOSED) {
                return;
            }
            last = position.offset();
            epoch = position.epoch();
            phase = Phase.LIVE;
            List<JoinRequest> admitted = new ArrayList<>(joining);
            joining.clear();
            admitted.forEach(this::admit);
            drainWaiting();
            closeIfEmpty();
        }, failure -> {
            Log.warnf("channel activation failed channel=%s reason=%s", channel, failure.getMessage());
            List<JoinRequest> refused = new ArrayList<>(joining);
            joining.clear();
            close();
            refused.forEach(r -> r.onAdmitted().accept(null, failure));
        });
    }

    void join(JoinRequest request) {
        if (phase == Phase.ACTIVATING) {
            joining.add(request);
        } else {
            admit(request);
        }
    }

    private void admit(JoinRequest request) {
        Member member = new Member(request);
        members.put(request.subscriber(), member);
        member.after = last;
        if (!request.recover() || options.historySize() == 0) {
            goLive(member, reply(request, last, false, false, List.of()));
            return;
        }
        if (!request.epoch().equals(epoch) || last - request.offset() > options.historySize()) {
            hubs.metrics().recovery(false);
            goLive(member, reply(request, last, true, false, List.of()));
            return;
        }
        if (request.offset() >= last) {
            // The client saw more than this node has delivered yet (its old node was ahead): skip what it has.
            member.after = request.offset();
            hubs.metrics().recovery(true);
            goLive(member, reply(request, request.offset(), true, true, List.of()));
            return;
        }
        long snapshot = last;
        member.held = new ArrayList<>();
        hubs.onHub(broker.range(channel, request.offset(), snapshot, options.historySize(), options), page -> {
            if (members.get(request.subscriber()) != member) {
                return;
            }
            List<Publication> missed = page.publications();
            boolean complete = page.position().epoch().equals(epoch) && contiguous(missed, request.offset(), snapshot);
            hubs.metrics().recovery(complete);
            goLive(member, complete ? reply(request, snapshot, true, true, missed) : reply(request, snapshot, true, false, List.of()));
        }, failure -> {
            if (members.remove(request.subscriber()) == member) {
                request.onAdmitted().accept(null, failure);
                closeIfEmpty();
            }
        });
    }

    static boolean contiguous(List<Publication> publications, long after, long to) {
        long expected = after + 1;
        for (Publication p : publications) {
            if (p.offset() != expected) {
                return false;
            }
            expected++;
        }
        return expected == to + 1;
    }

    private String reply(JoinRequest request, long offset, boolean wasRecovering, boolean recovered, List<Publication> publications) {
        ObjectNode result = request.result() == null ? hubs.replies().object() : request.result();
        if (options.historySize() > 0) {
            result.put("recoverable", true);
            result.put("epoch", epoch);
            result.put("offset", offset);
            result.put("positioned", true);
        }
        if (wasRecovering) {
            result.put("was_recovering", true);
            result.put("recovered", recovered);
            if (!publications.isEmpty()) {
                result.set("publications", hubs.replies().publications(publications));
            }
        }
        return hubs.replies().reply(request.replyId(), Method.SUBSCRIBE, result);
    }

    private void goLive(Member member, String reply) {
        member.request.subscriber().send(reply);
        member.request.onAdmitted().accept(this, null);
        member.live = true;
        List<Publication> held = member.held;
        member.held = null;
        if (held != null) {
            for (Publication p : held) {
                if (p.offset() > member.after) {
                    member.request.subscriber().send(hubs.replies().publicationPush(channel, p));
                }
            }
        }
    }

    void leave(Subscriber subscriber) {
        joining.removeIf(r -> r.subscriber() == subscriber);
        members.remove(subscriber);
        closeIfEmpty();
    }

    private void closeIfEmpty() {
        if (members.isEmpty() && joining.isEmpty() && phase != Phase.ACTIVATING) {
            close();
        }
    }

    void onPublication(String publicationEpoch, Publication publication) {
        if (phase == Phase.ACTIVATING || phase == Phase.FILLING) {
            waiting.put(publication.offset(), new Pending(publicationEpoch, publication));
        } else if (phase == Phase.LIVE) {
            accept(publicationEpoch, publication);
        }
    }

    private void accept(String publicationEpoch, Publication publication) {
        if (!publicationEpoch.equals(epoch)) {
            reset("epoch changed from " + epoch + " to " + publicationEpoch);
        } else if (publication.offset() == last + 1) {
            deliver(publication);
        } else if (publication.offset() > last + 1) {
            waiting.put(publication.offset(), new Pending(publicationEpoch, publication));
            fill(publication.offset() - 1);
        }
    }

    private void drainWaiting() {
        while (phase == Phase.LIVE && !waiting.isEmpty()) {
            Pending next = waiting.pollFirstEntry().getValue();
            if (next.publication().offset() > last) {
                accept(next.epoch(), next.publication());
            }
        }
    }

    /** Reads offsets after the last delivered one up to {@code to} from history and delivers them in order. */
    private void fill(long to) {
        phase = Phase.FILLING;
        long from = last;
        hubs.onHub(broker.range(channel, from, to, (int) Math.min(Integer.MAX_VALUE, to - from), options), page -> {
            if (phase != Phase.FILLING) {
                return;
            }
            if (!page.position().epoch().equals(epoch)) {
                reset("epoch changed while filling a gap");
                return;
            }
            for (Publication p : page.publications()) {
                if (p.offset() == last + 1) {
                    deliver(p);
                }
            }
            if (last < to) {
                reset("history no longer holds offsets " + (last + 1) + ".." + to);
                return;
            }
            hubs.metrics().gapFilled();
            phase = Phase.LIVE;
            drainWaiting();
        }, failure -> {
            // Redis is away: keep what waits; the next position check tries again.
            if (phase == Phase.FILLING) {
                phase = Phase.LIVE;
            }
        });
    }

    /** Compares the delivered offset with the channel's: catches publications whose fan-out message was lost. */
    void checkPosition() {
        if (phase != Phase.LIVE) {
            return;
        }
        hubs.onHub(broker.position(channel, options), position -> {
            if (phase != Phase.LIVE) {
                return;
            }
            if (!position.epoch().equals(epoch)) {
                reset("epoch changed from " + epoch + " to " + position.epoch());
            } else if (position.offset() > last) {
                // Usually the fan-out message is merely in flight: fill only if it has not come by a moment later.
                long target = position.offset();
                hubs.later(FANOUT_GRACE_MILLIS, () -> {
                    if (phase == Phase.LIVE && last < target) {
                        fill(target);
                    }
                });
            } else {
                drainWaiting();
            }
        }, failure -> { });
    }

    private void deliver(Publication publication) {
        last = publication.offset();
        String frame = null;
        int count = 0;
        // One task per event loop flushes all its connections: not one cross-thread wake-up per subscriber.
        Map<java.util.concurrent.Executor, List<Subscriber>> wake = new java.util.IdentityHashMap<>();
        for (Member member : members.values()) {
            if (publication.offset() <= member.after) {
                continue;
            }
            if (!member.live) {
                member.held.add(publication);
                continue;
            }
            if (frame == null) {
                frame = hubs.replies().publicationPush(channel, publication);
            }
            Subscriber subscriber = member.request.subscriber();
            java.util.concurrent.Executor loop = subscriber.enqueue(frame);
            if (loop != null) {
                wake.computeIfAbsent(loop, l -> new ArrayList<>()).add(subscriber);
            }
            count++;
        }
        wake.forEach((loop, subscribers) -> loop.execute(() -> subscribers.forEach(Subscriber::flush)));
        hubs.metrics().delivered(count, publication.timeMillis(), hubs.clock().millis());
    }

    void onPresenceEvent(String frame) {
        for (Member member : members.values()) {
            if (member.live && member.request.joinLeave()) {
                member.request.subscriber().send(frame);
            }
        }
    }

    /** Client id → client info of the live members, for the presence refresh. */
    Map<String, String> presenceEntries() {
        Map<String, String> entries = new LinkedHashMap<>();
        members.keySet().forEach(s -> entries.put(s.clientId(), s.clientInfo()));
        return entries;
    }

    /** Position lost: every subscriber resubscribes (and recovers through history, or learns it cannot). */
    void reset(String reason) {
        Log.infof("channel position reset channel=%s subscribers=%d reason=%s", channel, members.size(), reason);
        hubs.metrics().positionReset();
        List<Member> dropped = new ArrayList<>(members.values());
        List<JoinRequest> refused = new ArrayList<>(joining);
        members.clear();
        joining.clear();
        close();
        for (Member member : dropped) {
            if (member.live) {
                member.request.subscriber().subscriptionLost(channel, this, RESUBSCRIBE_CODE, "insufficient state");
            } else {
                member.request.onAdmitted().accept(null, new IllegalStateException("channel position lost: " + reason));
            }
        }
        refused.forEach(r -> r.onAdmitted().accept(null, new IllegalStateException("channel position lost: " + reason)));
    }

    private void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        waiting.clear();
        hubs.closed(this);
    }
}
