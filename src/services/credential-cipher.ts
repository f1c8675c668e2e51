/**
 * @module services/credential-cipher
 * AES-256-GCM for credential values: a fresh 12-byte nonce per value, the credential id and field
 * name bound in as associated data (a value cannot be moved to another credential or field), and
 * the id of the key that sealed it recorded beside it, so keys can rotate.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { SealedValue } from '../store/credentials-repository.ts';

export interface Keyring {
  readonly currentId: string;
  seal(plaintext: string, context: string): SealedValue;
  open(sealed: SealedValue, context: string): string;
  /** The value can be opened (its key is on the ring). */
  canOpen(sealed: SealedValue): boolean;
}

/** A key's id: not secret, derived so that the same key always has the same id. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('workflow-core credentials key id').update(key).digest('hex').slice(0, 16);
}

export function createKeyring(current: Buffer, previous: readonly Buffer[] = []): Keyring {
  const keys = new Map<string, Buffer>();
  for (const key of [...previous, current]) keys.set(keyIdOf(key), key);
  const currentId = keyIdOf(current);
  return {
    currentId,
    seal(plaintext, context) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, nonce);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return {
        key_id: currentId,
        nonce: nonce.toString('base64'),
        ciphertext: ciphertext.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
      };
    },
    open(sealed, context) {
      const key = keys.get(sealed.key_id);
      if (!key) throw new Error(`credential value sealed under unknown key ${sealed.key_id}`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.nonce, 'base64'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString(
        'utf8',
      );
    },
    canOpen: (sealed) => keys.has(sealed.key_id),
  };
}
