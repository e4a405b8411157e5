package dev.meridian.ws.broker;

import dev.meridian.platform.redis.LuaScript;

/**
 * The Lua that keeps a channel's offsets contiguous: the meta hash holds the epoch ({@code e}) and
 * the last offset ({@code s}); stream entries carry the offset as their id ({@code <offset>-0}), so
 * a range of offsets is one XRANGE. Whenever the meta is gone (never published, or expired) a new
 * epoch starts and any leftover history is dropped: offsets of two epochs never mix.
 */
final class RedisScripts {

    private RedisScripts() {
    }

    private static final String ENSURE_EPOCH = """
            local meta = redis.call('HMGET', KEYS[2], 'e', 's')
            local epoch = meta[1]
            local top = tonumber(meta[2]) or 0
            if not epoch then
              epoch = ARGV[1]
              top = 0
              redis.call('HSET', KEYS[2], 'e', epoch, 's', 0)
              redis.call('DEL', KEYS[1])
            end
            redis.call('EXPIRE', KEYS[2], ARGV[2])
            """;

    /** KEYS stream, meta · ARGV new epoch, meta ttl, history size, history ttl, data, info, millis, fan-out channel. */
    static final LuaScript PUBLISH = new LuaScript(ENSURE_EPOCH + """
            top = redis.call('HINCRBY', KEYS[2], 's', 1)
            if tonumber(ARGV[3]) > 0 then
              redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[3], top .. '-0', 'd', ARGV[5], 'i', ARGV[6], 't', ARGV[7])
              redis.call('EXPIRE', KEYS[1], ARGV[4])
            end
            redis.call('PUBLISH', ARGV[8], 'p\\n' .. top .. '\\n' .. epoch .. '\\n' .. ARGV[7] .. '\\n' .. ARGV[6] .. '\\n' .. ARGV[5])
            return {top, epoch}
            """);

    /** KEYS stream, meta · ARGV new epoch, meta ttl, mode (position | range | latest), from id, to id, count. */
    static final LuaScript READ = new LuaScript(ENSURE_EPOCH + """
            local entries = {}
            if ARGV[3] == 'range' then
              entries = redis.call('XRANGE', KEYS[1], ARGV[4], ARGV[5], 'COUNT', ARGV[6])
            elseif ARGV[3] == 'latest' then
              entries = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', ARGV[6])
            end
            return {top, epoch, entries}
            """);

    /** KEYS presence, presence expiry · ARGV key ttl seconds, expire-at millis, then client / info pairs. */
    static final LuaScript PRESENCE_ADD = new LuaScript("""
            for i = 3, #ARGV, 2 do
              redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
              redis.call('ZADD', KEYS[2], ARGV[2], ARGV[i])
            end
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            redis.call('EXPIRE', KEYS[2], ARGV[1])
            return 1
            """);

    /** KEYS presence, presence expiry · ARGV client. */
    static final LuaScript PRESENCE_REMOVE = new LuaScript("""
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            return 1
            """);

    /** KEYS presence, presence expiry · ARGV now millis. Drops entries whose node stopped refreshing them. */
    static final LuaScript PRESENCE_GET = new LuaScript("""
            local gone = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
            for _, client in ipairs(gone) do
              redis.call('HDEL', KEYS[1], client)
            end
            redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
            return redis.call('HGETALL', KEYS[1])
            """);
}
