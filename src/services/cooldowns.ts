/**
 * @module services/cooldowns
 * Trigger cooldowns (`cooldown_seconds` per trigger, `user_cooldown_seconds` per trigger and
 * user): one interface, an in-memory implementation for a single process and a Redis one that
 * every process shares. Several keys are claimed together, all or none, so a run refused by the
 * user cooldown does not eat the trigger's cooldown.
 */
import { Redis } from 'ioredis';

export interface CooldownClaim {
  readonly key: string;
  readonly ttlMs: number;
}

export interface Cooldowns {
  /** Claims every key for its ttl when none is held; answers -1, or the index of the first held key. */
  claim(claims: readonly CooldownClaim[]): Promise<number>;
  close(): Promise<void>;
}

export interface MemoryCooldownOptions {
  readonly now?: () => number;
  /** Past this many live keys the expired ones are swept; keys are never kept past their ttl. */
  readonly sweepAbove?: number;
}

export function createMemoryCooldowns(options: MemoryCooldownOptions = {}): Cooldowns {
  const now = options.now ?? Date.now;
  const sweepAbove = options.sweepAbove ?? 10_000;
  const until = new Map<string, number>();

  function sweep(at: number): void {
    for (const [key, expiry] of until) if (expiry <= at) until.delete(key);
  }

  return {
    async claim(claims) {
      const at = now();
      for (let i = 0; i < claims.length; i++) {
        const expiry = until.get(claims[i].key);
        if (expiry !== undefined && expiry > at) return i;
      }
      if (until.size >= sweepAbove) sweep(at);
      for (const { key, ttlMs } of claims) until.set(key, at + ttlMs);
      return -1;
    },
    async close() {
      until.clear();
    },
  };
}

/**
 * KEYS: the cooldown keys to claim together.
 * ARGV: one ttl in milliseconds per key, in the same order.
 * Returns 0 when every key was free and is now set (SET PX), else the 1-based index of the first
 * key still held; nothing is set in that case.
 */
const CLAIM_SCRIPT = `
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then return i end
end
for i, key in ipairs(KEYS) do
  redis.call('SET', key, '1', 'PX', ARGV[i])
end
return 0
`;

export interface RedisCooldownOptions {
  /** A shared connection (left open on close), or a URL to open one of its own. */
  readonly redis?: Redis;
  readonly url?: string;
  /** Prepended to every key; tests use a unique one. */
  readonly prefix?: string;
}

export function createRedisCooldowns(options: RedisCooldownOptions): Cooldowns {
  const prefix = options.prefix ?? 'wfc:cooldown:';
  if (!options.redis && !options.url) throw new TypeError('createRedisCooldowns needs a redis connection or url');
  const ownsConnection = !options.redis;
  const redis =
    options.redis ??
    new Redis(options.url as string, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  // Errors surface on the claim call; an unhandled 'error' event would crash the process.
  if (ownsConnection) redis.on('error', () => {});
  redis.defineCommand('claimCooldowns', { lua: CLAIM_SCRIPT });
  const claimCommand = (
    redis as unknown as Record<string, (...args: unknown[]) => Promise<number>>
  ).claimCooldowns.bind(redis);

  return {
    async claim(claims) {
      if (claims.length === 0) return -1;
      const keys = claims.map((c) => `${prefix}${c.key}`);
      const ttls = claims.map((c) => String(Math.max(1, Math.ceil(c.ttlMs))));
      const held = Number(await claimCommand(keys.length, ...keys, ...ttls));
      return held === 0 ? -1 : held - 1;
    },
    async close() {
      if (ownsConnection) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
