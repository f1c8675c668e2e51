/**
 * @module auth/jwt
 * Verifies bearer JWTs with jose, the algorithm pinned to the configured key type (HS256 secret,
 * a PEM public key, or a JWKS URL), and turns the claims into a Principal. Anything off
 * (`alg: none`, a wrong key, expired, not yet valid, malformed claims) is 401.
 */
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';
import { LARGE_ID_HINT } from '../core/ids.ts';
import type { Principal } from '../core/permissions.ts';
import { AppError } from '../errors.ts';

export interface JwtSettings {
  readonly secret?: string;
  readonly publicKey?: string;
  readonly jwksUrl?: string;
  readonly issuer?: string;
  readonly audience?: string;
}

export interface Authenticator {
  verify(authorization: string | undefined): Promise<Principal>;
}

interface VerifyKey {
  readonly key: Uint8Array | KeyObject | JWTVerifyGetKey;
  readonly algorithms: string[];
}

function algorithmsForPublicKey(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1') return ['ES256'];
      if (curve === 'secp384r1') return ['ES384'];
      if (curve === 'secp521r1') return ['ES512'];
      throw new Error(`JWT_PUBLIC_KEY: unsupported EC curve ${curve}`);
    }
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      throw new Error(`JWT_PUBLIC_KEY: unsupported key type ${key.asymmetricKeyType}`);
  }
}

function verifyKeyFor(settings: JwtSettings): VerifyKey {
  if (settings.publicKey) {
    const key = createPublicKey(settings.publicKey);
    return { key, algorithms: algorithmsForPublicKey(key) };
  }
  if (settings.jwksUrl) {
    return {
      key: createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 }),
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'],
    };
  }
  // A KeyObject, made once: with raw bytes jose imports the key again on every verification.
  if (settings.secret) return { key: createSecretKey(Buffer.from(settings.secret, 'utf8')), algorithms: ['HS256'] };
  throw new Error('no JWT key configured');
}

function stringList(value: unknown, claim: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new AppError('UNAUTHORIZED', `Token claim "${claim}" must be an array`);
  return value.map((item) => {
    if (typeof item !== 'string' && typeof item !== 'number') {
      throw new AppError('UNAUTHORIZED', `Token claim "${claim}" must hold strings or numbers`);
    }
    return idText(item, claim);
  });
}

/** Two users whose ids differ only past 2^53 would otherwise be one principal. */
function idText(value: string | number, claim: string): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new AppError(
      'UNAUTHORIZED',
      `Token claim "${claim}" holds a number that is not a safe integer: ${LARGE_ID_HINT}`,
    );
  }
  return String(value);
}

export function principalFromClaims(claims: JWTPayload): Principal {
  const rawId = claims.user_id ?? claims.sub;
  if ((typeof rawId !== 'string' && typeof rawId !== 'number') || String(rawId) === '') {
    throw new AppError('UNAUTHORIZED', 'Token has no user_id or sub claim');
  }
  const userId = idText(rawId, claims.user_id === undefined ? 'sub' : 'user_id');
  const username = claims.username;
  const scope = claims.scope;
  const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : stringList(scope, 'scope');
  return {
    userId,
    username: typeof username === 'string' ? username : null,
    roles: stringList(claims.roles, 'roles'),
    entities: stringList(claims.entities, 'entities'),
    scopes,
  };
}

/** Verified tokens remembered, so a bot that reuses its token pays for the signature check once. */
const VERIFIED_CACHE_SIZE = 10_000;
const VERIFIED_CACHE_MAX_MS = 5 * 60_000;

export function createAuthenticator(settings: JwtSettings): Authenticator {
  const { key, algorithms } = verifyKeyFor(settings);
  const verified = new Map<string, { principal: Principal; until: number }>();
  return {
    async verify(authorization) {
      if (!authorization) throw new AppError('UNAUTHORIZED', 'Missing Authorization header');
      const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization);
      if (!match) throw new AppError('UNAUTHORIZED', 'Authorization header must be "Bearer <token>"');
      const now = Date.now();
      const known = verified.get(match[1]);
      if (known && known.until > now) return known.principal;
      if (known) verified.delete(match[1]);
      let payload: JWTPayload;
      try {
        const options = { algorithms, issuer: settings.issuer, audience: settings.audience };
        // The overloads differ only in the key's type; both verify the same way.
        const result =
          typeof key === 'function' ? await jwtVerify(match[1], key, options) : await jwtVerify(match[1], key, options);
        payload = result.payload;
      } catch (error) {
        const reason = (error as { code?: string }).code ?? 'ERR_JWT_INVALID';
        const message =
          reason === 'ERR_JWT_EXPIRED'
            ? 'Token has expired'
            : reason === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
              ? 'Token claims are not valid (not yet valid, issuer or audience)'
              : 'Token is not valid';
        throw new AppError('UNAUTHORIZED', message, { reason });
      }
      const principal = principalFromClaims(payload);
      // Same text, same signature: the answer holds until the token expires (and at most 5 minutes).
      const until = Math.min(typeof payload.exp === 'number' ? payload.exp * 1000 : now, now + VERIFIED_CACHE_MAX_MS);
      if (until > now) {
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value as string);
        verified.set(match[1], { principal, until });
      }
      return principal;
    },
  };
}

export interface MintOptions {
  readonly userId: string;
  readonly username?: string;
  readonly roles?: readonly string[];
  readonly entities?: readonly (string | number)[];
  readonly scope?: string;
  readonly ttl?: string;
  readonly issuer?: string;
  readonly audience?: string;
}

/** Mints an HS256 token: how a newcomer and the tests get one. */
export async function mintToken(secret: string, options: MintOptions): Promise<string> {
  const claims: JWTPayload = { user_id: options.userId };
  if (options.username) claims.username = options.username;
  if (options.roles?.length) claims.roles = [...options.roles];
  if (options.entities?.length) claims.entities = [...options.entities];
  if (options.scope) claims.scope = options.scope;
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.userId)
    .setIssuedAt()
    .setExpirationTime(options.ttl ?? '1h');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
