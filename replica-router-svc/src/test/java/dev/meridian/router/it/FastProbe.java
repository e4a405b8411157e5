package dev.meridian.router.it;

import dev.meridian.router.config.RouterConfig;

import java.time.Duration;

/** Prober settings for tests that run a prober of their own: every 100 ms, 1 s timeout, fall and rise 2. */
final class FastProbe implements RouterConfig.Probe {

    static final FastProbe SETTINGS = new FastProbe();

    private FastProbe() {
    }

    @Override
    public Duration interval() {
        return Duration.ofMillis(100);
    }

    @Override
    public Duration primaryLsnInterval() {
        return Duration.ofMillis(20);
    }

    @Override
    public Duration timeout() {
        return Duration.ofSeconds(1);
    }

    @Override
    public int fall() {
        return 2;
    }

    @Override
    public int rise() {
        return 2;
    }
}
