package dev.meridian.cache.cdn;

import dev.meridian.cache.store.Purge;

import java.io.IOException;

/** One CDN's purge API. Blocking; called off the event loop. */
public interface CdnPurger {

    /** Short name for reports and logs, e.g. {@code cloudflare}. */
    String name();

    /** Purges what this CDN can express of {@code purge}; returns a one-line outcome ("ok", "ok: 2 requests", "skipped: …"). */
    String purge(Purge purge) throws IOException, InterruptedException;
}
