/**
 * @module services/licenses
 * License checks for RELEASE_MODE (PRODUCT.md §8): an offline signed key verified with
 * LICENSE_PUBLIC_KEY, or the remote license server. Answers are cached per (community, key) for
 * five minutes; a server that is down, slow or wrong is a 402 saying so, never a 500 or a hang.
 */
import { createPublicKey } from 'node:crypto';
import { jwtVerify } from 'jose';
import { AppError } from '../errors.ts';

export interface LicenseValidator {
  /** Resolves when the key is good for the community; else throws 402 PAYMENT_REQUIRED. */
  check(communityId: number | null | undefined, licenseKey: string | undefined): Promise<void>;
}

export interface LicenseSettings {
  readonly releaseMode: boolean;
  readonly serverUrl?: string;
  readonly publicKey?: string;
  readonly timeoutMs?: number;
  readonly cacheTtlMs?: number;
  readonly now?: () => number;
}

type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const PAID_TIERS_EXCLUDED = new Set(['free', 'none', '']);
const CACHE_LIMIT = 10_000;

function refuse(reason: string): never {
  throw new AppError('PAYMENT_REQUIRED', `License validation failed: ${reason}`, { reason });
}

function verdictFromTier(tier: unknown, expiresAtMs: number | undefined, now: number): Verdict {
  if (expiresAtMs !== undefined && expiresAtMs <= now) return { ok: false, reason: 'license expired' };
  const name = typeof tier === 'string' ? tier.toLowerCase() : '';
  if (PAID_TIERS_EXCLUDED.has(name)) return { ok: false, reason: 'free tier does not include workflows' };
  return { ok: true };
}

async function offlineVerdict(publicKeyPem: string, communityId: number, key: string, now: number): Promise<Verdict> {
  try {
    const { payload } = await jwtVerify(key, createPublicKey(publicKeyPem), { currentDate: new Date(now) });
    if (String(payload.community_id) !== String(communityId)) {
      return { ok: false, reason: 'license belongs to another community' };
    }
    return verdictFromTier(payload.tier, undefined, now);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_JWT_EXPIRED') return { ok: false, reason: 'license expired' };
    return { ok: false, reason: 'unknown or malformed license key' };
  }
}

async function remoteVerdict(
  serverUrl: string,
  communityId: number,
  key: string,
  timeoutMs: number,
  now: number,
): Promise<Verdict | undefined> {
  let response: Response;
  try {
    response = await fetch(`${serverUrl}/api/v1/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ community_id: communityId, license_key: key }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch {
    return undefined;
  }
  if (response.status >= 500) return undefined;
  const text = await response.text().catch(() => '');
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(text.slice(0, 65_536));
    body = (parsed?.data && typeof parsed.data === 'object' ? parsed.data : parsed) ?? {};
  } catch {
    return undefined;
  }
  if (response.status === 404 || body.valid === false) {
    return { ok: false, reason: typeof body.reason === 'string' ? body.reason : 'unknown license key' };
  }
  if (!response.ok || body.valid !== true) return undefined;
  const expires = typeof body.expires_at === 'string' ? Date.parse(body.expires_at) : undefined;
  return verdictFromTier(body.tier, Number.isNaN(expires) ? undefined : expires, now);
}

export function createLicenseValidator(settings: LicenseSettings): LicenseValidator {
  const cache = new Map<string, { verdict: Verdict; until: number }>();
  const now = settings.now ?? Date.now;
  const ttl = settings.cacheTtlMs ?? 5 * 60_000;
  return {
    async check(communityId, licenseKey) {
      if (!settings.releaseMode) return;
      if (licenseKey === undefined || licenseKey === '') refuse('license_key is required in release mode');
      if (communityId === undefined || communityId === null) refuse('community_id is required in release mode');
      const cacheKey = `${communityId}\u0000${licenseKey}`;
      const cached = cache.get(cacheKey);
      const at = now();
      let verdict = cached && cached.until > at ? cached.verdict : undefined;
      if (!verdict) {
        if (settings.publicKey) verdict = await offlineVerdict(settings.publicKey, communityId, licenseKey, at);
        else if (settings.serverUrl) {
          verdict = await remoteVerdict(settings.serverUrl, communityId, licenseKey, settings.timeoutMs ?? 3000, at);
          // An unreachable server is not a verdict: say so, and ask again next time.
          if (!verdict) refuse('license server unavailable');
        } else verdict = { ok: false, reason: 'no license server or public key is configured' };
        if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        cache.set(cacheKey, { verdict, until: at + ttl });
      }
      if (!verdict.ok) refuse(verdict.reason);
    },
  };
}
