/**
 * @module jwt-secret
 * With no JWT key configured, `serve` keeps a random HS256 secret in the data folder (mode 0600)
 * so a fresh install works and `workflow-core token` can mint tokens for it. Never a known key.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JwtSettings } from './auth/jwt.ts';
import type { Config } from './config.ts';

export const SECRET_FILE = 'jwt-secret';

export function jwtSecretPath(dataDir: string): string {
  return join(dataDir, SECRET_FILE);
}

export function hasConfiguredKey(config: Config): boolean {
  return Boolean(config.jwt.secret || config.jwt.publicKey || config.jwt.jwksUrl);
}

/** Reads the data-folder secret, creating it when asked to. */
export function dataDirSecret(dataDir: string, create: boolean): string | undefined {
  const path = jwtSecretPath(dataDir);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  if (!create) return undefined;
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return secret;
}

export function resolveJwtSettings(config: Config, create: boolean): { settings: JwtSettings; generated: boolean } {
  if (hasConfiguredKey(config)) return { settings: config.jwt, generated: false };
  const secret = dataDirSecret(config.dataDir, create);
  return { settings: { ...config.jwt, secret }, generated: secret !== undefined };
}
