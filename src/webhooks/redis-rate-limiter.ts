/**
 * @module webhooks/redis-rate-limiter
 * The shared sliding-log rate limiter for several processes (`REDIS_URL` set). One Lua script per
 * hit reads, decides and writes atomically on a sorted set per key (score = hit time in ms), with
 * the clock taken from the Redis server's TIME (one clock for every process) unless the caller
 * pins `nowMs`. Keys carry a configurable prefix and expire once their newest hit has left the
 * window, so idle webhooks leave nothing behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { assertRateLimitArguments, type RateLimiter, summarizeWindow } from './rate-limiter.ts';

// Same rules as rate-limiter.ts and the memory implementation; keep the three in step.
export const SLIDING_LOG_HIT_SCRIPT = `--[[
  Records one hit in a sliding-log rate limit, if it fits.

  Input:
    KEYS[1] the key's hit log: sorted set, score = hit time (integer ms), member = unique hit id

    ARGV[1] limit: accepted hits allowed per window (integer >= 1)
    ARGV[2] window length in ms (integer >= 1)
    ARGV[3] now in ms (integer), or "" to read the Redis server's TIME
    ARGV[4] member id for this hit (unique per call)

  Output: array of integers
    [1] 1 if the hit was accepted (and recorded), 0 if rejected
    [2] accepted hits counted in the window (score > now - window), this one included
    [3] score of the oldest counted hit (now when none)
    [4] score of the counted hit whose exit frees a slot, at rank max(0, count - limit)
    [5] the now that was used, in ms
]]
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if now == nil then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local lower = '(' .. (now - windowMs)

-- Hits later than now (out-of-order callers) count as well: that keeps the bound exact.
local count = redis.call('ZCOUNT', key, lower, '+inf')
local allowed = 0
if count < limit then
  redis.call('ZADD', key, now, ARGV[4])
  allowed = 1
  count = count + 1
end
-- Only the newest limit hits can ever decide a later call.
redis.call('ZREMRANGEBYRANK', key, 0, -(limit + 1))

local oldest = now
local freeing = now
if count > 0 then
  oldest = tonumber(redis.call('ZRANGEBYSCORE', key, lower, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)[2])
  local rank = math.max(0, count - limit)
  freeing = tonumber(redis.call('ZRANGEBYSCORE', key, lower, '+inf', 'WITHSCORES', 'LIMIT', rank, 1)[2])
end
if allowed == 1 then
  local newest = tonumber(redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2])
  redis.call('PEXPIRE', key, math.max(1, newest + windowMs - now))
end
return { allowed, count, oldest, freeing, now }
`;

const SCRIPT_SHA = createHash('sha1').update(SLIDING_LOG_HIT_SCRIPT).digest('hex');

export interface RedisRateLimiterOptions {
  /** An existing connection (left open by close()), or a URL to open one that close() quits. */
  readonly redis?: Redis;
  readonly url?: string;
  /** Prepended to every key (default `wfc:ratelimit:`). */
  readonly keyPrefix?: string;
}

export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  if (!options.redis && !options.url) throw new TypeError('createRedisRateLimiter needs a redis connection or url');
  const ownsConnection = !options.redis;
  const redis = options.redis ?? new Redis(options.url as string, { maxRetriesPerRequest: 2 });
  const keyPrefix = options.keyPrefix ?? 'wfc:ratelimit:';
  const instanceId = randomBytes(6).toString('hex');
  let sequence = 0;

  async function runScript(key: string, args: readonly string[]): Promise<unknown> {
    try {
      return await redis.evalsha(SCRIPT_SHA, 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      // First call on this server (or after SCRIPT FLUSH): EVAL loads the script for next time.
      return redis.eval(SLIDING_LOG_HIT_SCRIPT, 1, key, ...args);
    }
  }

  return {
    async hit(key, limit, windowSeconds, nowMs) {
      assertRateLimitArguments(key, limit, windowSeconds, nowMs);
      const windowMs = Math.max(1, Math.round(windowSeconds * 1000));
      // Scores are integer milliseconds in Redis, so an injected clock is floored the same way.
      const pinnedNow = nowMs === undefined ? '' : String(Math.floor(nowMs));
      sequence += 1;
      const member = `${instanceId}:${sequence}`;
      const reply = (await runScript(keyPrefix + key, [
        String(limit),
        String(windowMs),
        pinnedNow,
        member,
      ])) as number[];
      const [allowed, count, oldestMs, freeingMs, usedNow] = reply.map(Number);
      return summarizeWindow({ allowed: allowed === 1, count, oldestMs, freeingMs, nowMs: usedNow }, limit, windowMs);
    },
    async close() {
      if (ownsConnection) await redis.quit();
    },
  };
}
