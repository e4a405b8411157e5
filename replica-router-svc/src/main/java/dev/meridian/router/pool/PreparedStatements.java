package dev.meridian.router.pool;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The router's prepared statements that exist on one server connection, at most {@code capacity},
 * least recently used first out, as PgBouncer's {@code max_prepared_statements}: a backend keeps
 * a plan cache per statement, so an application with endless distinct statement texts would
 * otherwise grow every backend (and this set) without limit. Owned by the connection's event loop.
 */
public final class PreparedStatements {

    private final int capacity;
    /** In order of last use, least recent first. */
    private final LinkedHashSet<String> names = new LinkedHashSet<>();

    public PreparedStatements(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("max prepared statements per server connection must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** Whether {@code name} exists on the server; if so it becomes the most recently used. */
    public boolean use(String name) {
        if (names.remove(name)) {
            names.add(name);
            return true;
        }
        return false;
    }

    /**
     * Records that {@code name} is being prepared on the server. When that makes one too many, the
     * least recently used leaves the set and is returned: the caller closes it on the server before
     * preparing {@code name}. Null when nothing has to go.
     */
    public String add(String name) {
        names.add(name);
        if (names.size() <= capacity) {
            return null;
        }
        Iterator<String> oldest = names.iterator();
        String evicted = oldest.next();
        oldest.remove();
        return evicted;
    }

    /** The server refused to prepare it (or a reset dropped it). */
    public void remove(String name) {
        names.remove(name);
    }

    /** A Close the router sent for it was skipped by the server (an error earlier in the batch): it still exists there. */
    public void stillThere(String name) {
        names.add(name);
    }

    /** The names on the server now, as a copy. */
    public java.util.Set<String> names() {
        return new java.util.HashSet<>(names);
    }

    /** A DEALLOCATE ALL or DISCARD ALL sent when these existed has run: they are gone. */
    public void removeAll(java.util.Collection<String> dropped) {
        names.removeAll(dropped);
    }

    public void clear() {
        names.clear();
    }

    public int size() {
        return names.size();
    }
}
