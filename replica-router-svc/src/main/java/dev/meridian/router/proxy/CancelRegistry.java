package dev.meridian.router.proxy;

import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The BackendKeyData the router hands its clients (its own process ids and random secrets), so a
 * CancelRequest names a client session; the session knows which backend runs its query.
 */
final class CancelRegistry {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConcurrentMap<Long, ClientSession> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger nextProcessId = new AtomicInteger(RANDOM.nextInt(1 << 20) + 1);

    /** A fresh (process id, secret) pair for this session. */
    int[] register(ClientSession session) {
        while (true) {
            int processId = nextProcessId.getAndIncrement() & 0x7FFFFFFF;
            int secret = RANDOM.nextInt();
            if (sessions.putIfAbsent(key(processId, secret), session) == null) {
                return new int[] {processId, secret};
            }
        }
    }

    ClientSession find(int processId, int secret) {
        return sessions.get(key(processId, secret));
    }

    void remove(int processId, int secret) {
        sessions.remove(key(processId, secret));
    }

    int size() {
        return sessions.size();
    }

    private static long key(int processId, int secret) {
        return (long) processId << 32 | (secret & 0xFFFFFFFFL);
    }
}
