/**
 * JWT verification with each key kind: HS256 secret, a PEM public key, a JWKS URL; claims.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, SignJWT } from 'jose';
import { createAuthenticator } from '../src/auth/jwt.ts';
import { createTestApp, json, type TestApp } from './helpers/app.ts';

describe('authentication', () => {
  it('PEM public keys pin the algorithm (ES256), refuse HS256 tokens signed with the PEM text', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const auth = createAuthenticator({ publicKey: pem });
    const good = await new SignJWT({ user_id: 7, roles: ['mod'], entities: [1, '2'], scope: 'a b' })
      .setProtectedHeader({ alg: 'ES256' })
      .setExpirationTime('5m')
      .sign(privateKey);
    const principal = await auth.verify(`Bearer ${good}`);
    assert.deepEqual(principal, {
      userId: '7',
      username: null,
      roles: ['mod'],
      entities: ['1', '2'],
      scopes: ['a', 'b'],
    });
    const confused = await new SignJWT({ user_id: 7 })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(pem));
    await assert.rejects(auth.verify(`Bearer ${confused}`), { code: 'UNAUTHORIZED' });
  });

  it('JWKS URLs verify RS256 tokens; issuer and audience are checked when set', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const auth = createAuthenticator({
        jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
        issuer: 'bot',
        audience: 'workflows',
      });
      const sign = (issuer: string) =>
        new SignJWT({ sub: 'u-1' })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(issuer)
          .setAudience('workflows')
          .setExpirationTime('5m')
          .sign(privateKey);
      assert.equal((await auth.verify(`Bearer ${await sign('bot')}`)).userId, 'u-1');
      await assert.rejects(auth.verify(`Bearer ${await sign('someone-else')}`), { code: 'UNAUTHORIZED' });
    } finally {
      server.close();
    }
  });

  it('refuses malformed headers, tokens without a user and not-yet-valid tokens', async () => {
    const secret = 's'.repeat(40);
    const auth = createAuthenticator({ secret });
    const key = new TextEncoder().encode(secret);
    for (const header of [undefined, '', 'Basic abc', 'Bearer', 'Bearer a.b']) {
      await assert.rejects(auth.verify(header), { code: 'UNAUTHORIZED' }, String(header));
    }
    const anonymous = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(key);
    await assert.rejects(auth.verify(`Bearer ${anonymous}`), { code: 'UNAUTHORIZED' });
    const future = await new SignJWT({ user_id: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setNotBefore('1h')
      .setExpirationTime('2h')
      .sign(key);
    await assert.rejects(auth.verify(`Bearer ${future}`), { code: 'UNAUTHORIZED' });
    const badRoles = await new SignJWT({ user_id: 1, roles: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(key);
    await assert.rejects(auth.verify(`Bearer ${badRoles}`), { code: 'UNAUTHORIZED' });
  });
});

describe('permission grants API', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(() => t.close());

  it('numeric user ids match string grants; each flag is read on its own; revoking removes access', async () => {
    const owner = await t.token({ userId: 'owner', entities: [5] });
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/workflows',
      token: owner,
      payload: { name: 'w', entity_id: 5 },
    });
    const id = json<{ data: { workflow_id: string } }>(created).data.workflow_id;
    const grant = await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${id}/permissions`,
      token: owner,
      payload: { permission_type: 'user', target_id: '42', can_view: true, can_execute: true },
    });
    assert.equal(grant.statusCode, 200);
    const listed = json<{ data: Array<Record<string, unknown>> }>(
      await t.request({ method: 'GET', url: `/api/v1/workflows/${id}/permissions`, token: owner }),
    );
    assert.equal(listed.data.length, 1);
    assert.equal(listed.data[0].target_id, '42');
    assert.equal(listed.data[0].can_execute, true);
    assert.equal(listed.data[0].can_edit, false);

    const numeric = await new SignJWT({ user_id: 42 })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(t.secret));
    assert.equal((await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token: numeric })).statusCode, 200);
    const edit = await t.request({
      method: 'PUT',
      url: `/api/v1/workflows/${id}`,
      token: numeric,
      payload: { name: 'x' },
    });
    assert.equal(edit.statusCode, 403);
    assert.equal(json<{ error: { code: string } }>(edit).error.code, 'PERMISSION_DENIED');
    const list = json<{ data: unknown[] }>(
      await t.request({ method: 'GET', url: '/api/v1/workflows?entity_id=5', token: numeric }),
    );
    assert.equal(list.data.length, 1, 'a viewer sees the workflow in the entity list');

    const revoke = await t.request({
      method: 'DELETE',
      url: `/api/v1/workflows/${id}/permissions/user/42`,
      token: owner,
    });
    assert.equal(revoke.statusCode, 200);
    assert.equal((await t.request({ method: 'GET', url: `/api/v1/workflows/${id}`, token: numeric })).statusCode, 404);
    const again = await t.request({
      method: 'DELETE',
      url: `/api/v1/workflows/${id}/permissions/user/42`,
      token: owner,
    });
    assert.equal(again.statusCode, 404);
  });
});
