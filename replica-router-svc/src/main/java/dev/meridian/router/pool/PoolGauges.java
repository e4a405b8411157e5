package dev.meridian.router.pool;

import java.util.concurrent.atomic.AtomicInteger;

/** One backend's pool utilisation summed over every event loop's pools, for meters and JSON. */
public final class PoolGauges {

    public final AtomicInteger inUse = new AtomicInteger();
    public final AtomicInteger idle = new AtomicInteger();
    public final AtomicInteger waiting = new AtomicInteger();
    public final AtomicInteger opening = new AtomicInteger();
}
