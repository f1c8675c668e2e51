/**
 * @module credentials-key
 * The keyring that encrypts credentials: CREDENTIALS_KEY, or (unset) a random key kept in the
 * data folder (mode 0600), as the JWT secret is. CREDENTIALS_PREVIOUS_KEYS still decrypt values
 * written before a rotation; the app re-encrypts those under the current key.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';
import { parseKey } from './env-readers.ts';
import { createKeyring, type Keyring } from './services/credential-cipher.ts';

export const CREDENTIALS_KEY_FILE = 'credentials-key';

function dataDirKey(dataDir: string): Buffer {
  const path = join(dataDir, CREDENTIALS_KEY_FILE);
  if (existsSync(path)) return parseKey(path, readFileSync(path, 'utf8').trim());
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return key;
}

export function resolveCredentialsKeyring(config: Config): Keyring {
  return createKeyring(config.credentialsKey ?? dataDirKey(config.dataDir), config.credentialsPreviousKeys);
}
