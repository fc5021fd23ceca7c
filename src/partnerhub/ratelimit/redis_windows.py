"""A policy's windows checked and spent on Redis in one round trip (a Lua script).

Through the `limits` library a hit cost three round trips per window (count, expiry, increment),
and the check and the spend of a multi-window policy were separate steps. Profiled behind two
workers, those round trips were ~30 % of a GET (README "Performance"). The script below reads
every window, and only if all have room spends from all of them, atomically.

The windows mean what `limits` means by them: a fixed window starts at its first hit and lasts
`seconds`; a moving window counts the hits of the last `seconds`.
"""

from __future__ import annotations

import uuid
from typing import Any

from redis.asyncio import Redis

# KEYS: one per window. ARGV: cost, a unique id for this hit, then per window its amount,
# length in ms and kind ("f" fixed, "m" moving).
# Returns: allowed (1/0), then per window its count before this hit and its reset time, as
# milliseconds since the epoch (Lua numbers come back as integers; ms keep the precision).
_SCRIPT = """
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cost = tonumber(ARGV[1])
local hit_id = ARGV[2]
local counts, resets, allowed = {}, {}, 1
for i, key in ipairs(KEYS) do
  local amount = tonumber(ARGV[3 * i])
  local length = tonumber(ARGV[3 * i + 1])
  if ARGV[3 * i + 2] == "m" then
    redis.call("ZREMRANGEBYSCORE", key, "-inf", now - length)
    counts[i] = redis.call("ZCARD", key)
    local oldest = redis.call("ZRANGE", key, 0, 0, "WITHSCORES")
    resets[i] = oldest[2] and (tonumber(oldest[2]) + length) or (now + length)
  else
    counts[i] = tonumber(redis.call("GET", key) or "0")
    local ttl = redis.call("PTTL", key)
    resets[i] = ttl > 0 and (now + ttl) or (now + length)
  end
  if counts[i] + cost > amount then allowed = 0 end
end
if allowed == 1 then
  for i, key in ipairs(KEYS) do
    local length = tonumber(ARGV[3 * i + 1])
    if ARGV[3 * i + 2] == "m" then
      for j = 1, cost do redis.call("ZADD", key, now, hit_id .. ":" .. j) end
      redis.call("PEXPIRE", key, length)
    elseif redis.call("INCRBY", key, cost) == cost then
      redis.call("PEXPIRE", key, length)
    end
  end
end
local out = {allowed}
for i = 1, #KEYS do
  out[#out + 1] = counts[i]
  out[#out + 1] = resets[i]
end
out[#out + 1] = now
return out
"""


class RedisWindows:
    """Spend `cost` from every window (key, amount, seconds, moving?) or from none."""

    def __init__(self, client: Redis) -> None:
        self._script = client.register_script(_SCRIPT)

    async def spend(
        self, windows: list[tuple[str, int, int, bool]], cost: int
    ) -> tuple[bool, list[int], list[float], float]:
        """(allowed, each window's count before this hit, each window's reset time, now),
        times in seconds since the epoch on the Redis server's clock."""
        args: list[Any] = [cost, uuid.uuid4().hex]
        for _key, amount, seconds, moving in windows:
            args += [amount, seconds * 1000, "m" if moving else "f"]
        reply = await self._script(keys=[w[0] for w in windows], args=args)
        counts = [int(reply[1 + 2 * i]) for i in range(len(windows))]
        resets = [int(reply[2 + 2 * i]) / 1000 for i in range(len(windows))]
        return bool(reply[0]), counts, resets, int(reply[-1]) / 1000
