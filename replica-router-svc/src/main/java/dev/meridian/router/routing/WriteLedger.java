package dev.meridian.router.routing;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * When each client scope (a role and database, or one session) last had a write commit, in
 * {@link System#nanoTime()} terms. A read of that scope may go to a replica only once the
 * replica has replayed a primary WAL position sampled after that moment.
 */
public final class WriteLedger {

    private final ConcurrentMap<String, Long> lastCommit = new ConcurrentHashMap<>();
    private volatile long latestCommit = Long.MIN_VALUE;

    public void committed(String scope, long atNanos) {
        lastCommit.merge(scope, atNanos, Math::max);
        if (atNanos > latestCommit) {
            latestCommit = atNanos;
        }
    }

    /** The latest commit of any scope ({@link Long#MIN_VALUE} before the first). */
    public long latestCommitNanos() {
        return latestCommit;
    }

    /** 0 when the scope never wrote through this router. */
    public long lastCommitNanos(String scope) {
        Long at = lastCommit.get(scope);
        return at == null ? 0 : at;
    }

    public void forget(String scope) {
        lastCommit.remove(scope);
    }
}
