import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createKeyring, keyIdOf } from './credential-cipher.ts';

describe('credential cipher', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('seals with a fresh nonce and the current key id, and opens only in its own context', () => {
    const ring = createKeyring(newKey);
    const a = ring.seal('value', 'c1/token');
    const b = ring.seal('value', 'c1/token');
    assert.equal(a.key_id, keyIdOf(newKey));
    assert.notEqual(a.nonce, b.nonce);
    assert.equal(ring.open(a, 'c1/token'), 'value');
    assert.throws(() => ring.open(a, 'c2/token'));
    assert.throws(() => ring.open({ ...a, ciphertext: Buffer.from('tampered').toString('base64') }, 'c1/token'));
  });

  it('opens values sealed under a previous key', () => {
    const sealed = createKeyring(oldKey).seal('old', 'c/f');
    assert.throws(() => createKeyring(newKey).open(sealed, 'c/f'), /unknown key/);
    const ring = createKeyring(newKey, [oldKey]);
    assert.equal(ring.canOpen(sealed), true);
    assert.equal(ring.open(sealed, 'c/f'), 'old');
  });
});
