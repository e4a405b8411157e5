package dev.meridian.platform.redis;

import io.vertx.mutiny.redis.client.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reading Redis replies the same way whether the connection speaks RESP2 or RESP3. */
public final class RedisReplies {

    private RedisReplies() {
    }

    /**
     * A field/value reply (HGETALL, a stream entry's fields) as an ordered map. RESP3 sends a map,
     * RESP2 a flat array of alternating fields and values.
     */
    public static Map<String, String> toMap(Response reply) {
        Map<String, String> map = new LinkedHashMap<>();
        if (reply == null) {
            return map;
        }
        if (reply.getDelegate().isMap()) {
            for (String key : reply.getKeys()) {
                map.put(key, reply.get(key).toString());
            }
            return map;
        }
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            map.put(reply.get(i).toString(), reply.get(i + 1).toString());
        }
        return map;
    }
}
