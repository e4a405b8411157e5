-- Meridian rate limiter: every limit of one request (on one Redis node) in one round trip.
-- Mirrors dev.meridian.ratelimit.store.CounterMath; keep the two in step.
--
-- KEYS[i]  the counter of limit i (a hash)
-- ARGV     per limit, five values: algorithm (f|s|t), limit, window_ms, hits, group
-- returns  per limit: {over (0|1), remaining, reset_ms, retry_after_ms}
--
-- Time is Redis server time, so every instance of ratelimit-svc agrees on windows.

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local n = #KEYS
local steps = {}
local denied = {}

for i = 1, n do
  local base = (i - 1) * 5
  local algo = ARGV[base + 1]
  local limit = tonumber(ARGV[base + 2])
  local window = tonumber(ARGV[base + 3])
  local hits = tonumber(ARGV[base + 4])
  local group = ARGV[base + 5]
  local key = KEYS[i]
  local step = { algo = algo, key = key, hits = hits, group = group, window = window }

  if algo == 'f' then
    local start = now - (now % window)
    local stored = redis.call('HMGET', key, 'w', 'c')
    local before = 0
    if tonumber(stored[1]) == start then before = tonumber(stored[2]) or 0 end
    local after = before + hits
    local over = after > limit
    local reset = start + window - now
    step.over = over
    step.remaining = math.max(0, limit - after)
    step.reset = reset
    step.retry = over and reset or 0
    step.fields = { 'w', start, 'c', after }
    step.ttl = reset + 1000
    step.counts_denied = true

  elseif algo == 's' then
    local start = now - (now % window)
    local stored = redis.call('HMGET', key, 'w', 'c', 'p')
    local stored_start = tonumber(stored[1])
    local current, previous = 0, 0
    if stored_start == start then
      current = tonumber(stored[2]) or 0
      previous = tonumber(stored[3]) or 0
    elseif stored_start == start - window then
      previous = tonumber(stored[2]) or 0
    end
    local elapsed = now - start
    local estimate = previous * (window - elapsed) / window + current
    local over = estimate + hits > limit
    local reset = start + window - now
    local retry = 0
    if over then
      local room = limit - current - hits
      if room < 0 or previous == 0 then
        retry = reset
      else
        retry = math.max(1, math.ceil(window * (1 - room / previous)) - elapsed)
      end
    end
    step.over = over
    step.remaining = over and 0 or math.max(0, math.floor(limit - estimate - hits))
    step.reset = reset
    step.retry = retry
    step.fields = { 'w', start, 'c', current + hits, 'p', previous }
    step.ttl = reset + window + 1000
    step.counts_denied = false

  else -- 't': GCRA token bucket
    if limit <= 0 then
      step.over = hits > 0
      step.remaining = 0
      step.reset = window
      step.retry = step.over and window or 0
      step.fields = nil
    else
      local interval = window / limit
      local tat = tonumber(redis.call('HGET', key, 't')) or now
      if tat < now then tat = now end
      local next_tat = tat + hits * interval
      local allow_at = next_tat - window
      if now < allow_at then
        step.over = true
        step.remaining = math.max(0, math.floor((window - (tat - now)) / interval))
        step.reset = math.ceil(tat - now)
        step.retry = math.max(1, math.ceil(allow_at - now))
        step.fields = nil
      else
        step.over = false
        step.remaining = math.max(0, math.floor((window - (next_tat - now)) / interval))
        step.reset = math.ceil(next_tat - now)
        step.retry = 0
        -- TAT is fractional: store it exactly as a string.
        step.fields = { 't', string.format('%.3f', next_tat) }
        step.ttl = math.ceil(next_tat - now) + 1000
      end
    end
    step.counts_denied = false
  end

  if step.over then denied[group] = true end
  steps[i] = step
end

local result = {}
for i = 1, n do
  local step = steps[i]
  if step.hits > 0 and step.fields ~= nil and (step.counts_denied or not denied[step.group]) then
    redis.call('HSET', step.key, unpack(step.fields))
    redis.call('PEXPIRE', step.key, step.ttl)
  end
  result[i] = { step.over and 1 or 0, step.remaining, step.reset, step.retry }
end
return result
