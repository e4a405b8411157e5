package dev.meridian.platform.redis;

import java.util.Map;

/**
 * One entry read from a Redis stream.
 *
 * @param id     the stream id ({@code <ms>-<seq>})
 * @param fields field/value pairs in the order they were added
 */
public record StreamEntry(String id, Map<String, String> fields) {

    public String field(String name) {
        return fields.get(name);
    }
}
