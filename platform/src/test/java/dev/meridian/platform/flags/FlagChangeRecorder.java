package dev.meridian.platform.flags;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A CDI observer as a service would write one: records every FlagChanged event it is sent. */
@ApplicationScoped
public class FlagChangeRecorder {

    private final List<FlagChanged> seen = new CopyOnWriteArrayList<>();

    void onChange(@Observes FlagChanged change) {
        seen.add(change);
    }

    public List<FlagChanged> seen() {
        return seen;
    }
}
