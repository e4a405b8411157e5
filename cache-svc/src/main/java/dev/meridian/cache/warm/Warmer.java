package dev.meridian.cache.warm;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Warms the cache by asking the edge itself for each URL (so entries are stored by the normal
 * rules, in both tiers), at most {@code concurrency} at a time. Keeps the last jobs for progress
 * and their per-URL report.
 */
public final class Warmer {

    private static final int KEPT_JOBS = 20;

    private final Vertx vertx;
    private final int edgePort;
    private final HttpClient client;
    private final Map<String, WarmJob> jobs = new LinkedHashMap<>();

    public Warmer(Vertx vertx, int edgePort) {
        this.vertx = vertx;
        this.edgePort = edgePort;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(64));
    }

    /** Starts warming {@code paths} for {@code host} (the Host the entries are keyed under); returns at once. */
    public synchronized WarmJob start(List<String> paths, String host, int concurrency) {
        WarmJob job = new WarmJob(UUID.randomUUID().toString(), paths.size());
        jobs.put(job.id(), job);
        while (jobs.size() > KEPT_JOBS) {
            jobs.remove(jobs.keySet().iterator().next());
        }
        Deque<String> queue = new ArrayDeque<>(paths);
        for (int i = 0; i < Math.max(1, Math.min(concurrency, 64)); i++) {
            next(job, queue, host);
        }
        return job;
    }

    public synchronized WarmJob job(String id) {
        return jobs.get(id);
    }

    private void next(WarmJob job, Deque<String> queue, String host) {
        String path;
        synchronized (queue) {
            path = queue.poll();
        }
        if (path == null) {
            return;
        }
        long started = System.nanoTime();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(edgePort)
                .setURI(path).setTimeout(30_000).putHeader("Host", host).putHeader("User-Agent", "meridian-warmer");
        client.request(options).compose(request -> request.send())
                .compose(response -> response.body().map(body -> new WarmJob.Result(path, response.statusCode(),
                        response.getHeader("X-Cache"), (System.nanoTime() - started) / 1_000_000, null)))
                .otherwise(error -> new WarmJob.Result(path, 0, null, (System.nanoTime() - started) / 1_000_000,
                        String.valueOf(error.getMessage())))
                .onComplete(done -> {
                    job.record(done.result());
                    next(job, queue, host);
                });
    }
}
