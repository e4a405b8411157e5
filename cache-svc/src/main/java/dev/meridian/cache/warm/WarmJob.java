package dev.meridian.cache.warm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** One warming run: its URLs, progress, and a line per URL. */
public final class WarmJob {

    /** What happened to one URL: the edge's status and X-Cache, or the error. */
    public record Result(String url, int status, String cache, long millis, String error) {
    }

    private final String id;
    private final int total;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<Result> results = Collections.synchronizedList(new ArrayList<>());
    private volatile Instant finished;

    public WarmJob(String id, int total) {
        this.id = id;
        this.total = total;
        if (total == 0) {
            finished = Instant.now();
        }
    }

    void record(Result result) {
        results.add(result);
        if (result.error() != null || result.status() >= 400) {
            failed.incrementAndGet();
        }
        if (done.incrementAndGet() == total) {
            finished = Instant.now();
        }
    }

    public String id() {
        return id;
    }

    public int total() {
        return total;
    }

    public int done() {
        return done.get();
    }

    public int failed() {
        return failed.get();
    }

    public Instant finished() {
        return finished;
    }

    public boolean complete() {
        return finished != null;
    }

    public List<Result> results() {
        synchronized (results) {
            return List.copyOf(results);
        }
    }
}
