/**
 * @module delivery/ssrf-guard.test
 * The address policy, URL pre-check and guarded DNS lookup, without opening any socket.
 */
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { describe, it } from 'node:test';
import { NodeError } from '../nodes/node-type.ts';
import {
  blockedAddressReason,
  checkOutboundUrl,
  createAddressPolicy,
  createGuardedLookup,
  parseIpLiteral,
  type Resolver,
} from './ssrf-guard.ts';

function reasonFor(address: string): string | null {
  const parsed = parseIpLiteral(address);
  assert.ok(parsed, `${address} parses`);
  return blockedAddressReason(parsed);
}

describe('blockedAddressReason', () => {
  const blocked: Record<string, RegExp> = {
    '127.0.0.1': /loopback/,
    '127.255.0.9': /loopback/,
    '::1': /loopback/,
    '10.1.2.3': /private/,
    '172.16.0.1': /private/,
    '172.31.255.255': /private/,
    '192.168.1.1': /private/,
    'fc00::1': /unique-local/,
    'fd12:3456::1': /unique-local/,
    '169.254.1.1': /link-local/,
    'fe80::1': /link-local/,
    '0.0.0.0': /unspecified/,
    '0.1.2.3': /unspecified/,
    '::': /unspecified/,
    '169.254.169.254': /metadata/,
    'fd00:ec2::254': /metadata/,
    '100.100.100.200': /metadata/,
    '100.64.0.1': /carrier-grade NAT/,
    '100.127.255.254': /carrier-grade NAT/,
    '224.0.0.1': /multicast/,
    'ff02::1': /multicast/,
    '255.255.255.255': /broadcast/,
    '240.0.0.1': /reserved/,
    'fec0::1': /site-local/,
    '::ffff:127.0.0.1': /IPv4-mapped 127\.0\.0\.1, loopback/,
    '::ffff:169.254.169.254': /IPv4-mapped 169\.254\.169\.254, cloud metadata/,
    '::ffff:0:10.0.0.1': /IPv4-mapped 10\.0\.0\.1, private/,
    // Written in hex: ipaddr.js reads the dotted `::a.b.c.d` form as IPv4-mapped (blocked as well).
    '::7f00:1': /IPv4-compatible 127\.0\.0\.1, loopback/,
    '::a00:1': /IPv4-compatible 10\.0\.0\.1, private/,
    '::127.0.0.1': /127\.0\.0\.1, loopback/,
    '64:ff9b::192.168.0.1': /NAT64 192\.168\.0\.1, private/,
    '64:ff9b:1::1': /rfc6052/,
    '2002:a9fe:a9fe::': /6to4 169\.254\.169\.254, cloud metadata/,
    '2002:7f00:1::1': /6to4 127\.0\.0\.1, loopback/,
    '2001:0:4136:e378:8000:63bf:3fff:fdd2': /Teredo/,
  };
  for (const [address, reason] of Object.entries(blocked)) {
    it(`refuses ${address}`, () => {
      assert.match(reasonFor(address) ?? 'allowed', reason);
    });
  }

  it('allows public unicast addresses, also when embedded in IPv6', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '100.128.0.1',
      '2606:4700:4700::1111',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
      '2002:808:808::1',
    ]) {
      assert.equal(reasonFor(address), null, address);
    }
  });
});

describe('createAddressPolicy', () => {
  it('allows everything with allowPrivateNetwork', () => {
    const policy = createAddressPolicy({ allowPrivateNetwork: true });
    assert.equal(policy(parseIpLiteral('127.0.0.1')!), null);
    assert.equal(policy(parseIpLiteral('169.254.169.254')!), null);
  });

  it('exempts exactly the listed addresses', () => {
    const policy = createAddressPolicy({ allowAddresses: ['127.0.0.1', '::1'] });
    assert.equal(policy(parseIpLiteral('127.0.0.1')!), null);
    assert.equal(policy(parseIpLiteral('[::1]')!), null);
    assert.match(policy(parseIpLiteral('127.0.0.2')!) ?? '', /loopback/);
    assert.match(policy(parseIpLiteral('10.0.0.1')!) ?? '', /private/);
  });
});

describe('checkOutboundUrl', () => {
  const policy = createAddressPolicy();
  const refuses = (url: string) =>
    assert.throws(
      () => checkOutboundUrl(new URL(url), policy),
      (error: unknown) =>
        error instanceof NodeError && error.code === 'SSRF_BLOCKED' && error.options.retryable === false,
      url,
    );

  it('refuses private literals in every notation the URL parser accepts', () => {
    for (const url of [
      'http://2130706433/',
      'http://0x7f000001/',
      'http://0x7f.1/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://017700000001/',
      'http://10.1/',
      'http://0xa9.0xfe.0xa9.0xfe/',
      'http://2852039166/',
      'http://[::ffff:a9fe:a9fe]/',
      'https://[fd00:ec2::254]/latest',
      'http://0/',
      'http://[0:0:0:0:0:0:0:1]/',
      'http://user:pass@127.0.0.1/',
    ]) {
      refuses(url);
    }
  });

  it('refuses schemes other than http(s), even with private networks allowed', () => {
    const open = createAddressPolicy({ allowPrivateNetwork: true });
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'data:text/plain,hi', 'ws://example.com/']) {
      assert.throws(() => checkOutboundUrl(new URL(url), open), /only http and https/);
    }
  });

  it('lets names through to the lookup check, and public literals through', () => {
    checkOutboundUrl(new URL('https://example.com/hook'), policy);
    checkOutboundUrl(new URL('http://8.8.8.8/'), policy);
    checkOutboundUrl(new URL('http://[2606:4700:4700::1111]/'), policy);
  });
});

describe('createGuardedLookup', () => {
  const table: Record<string, string[]> = {
    'public.test': ['8.8.8.8', '2606:4700:4700::1111'],
    'private.test': ['10.0.0.1'],
    'mixed.test': ['8.8.8.8', '127.0.0.1'],
    'empty.test': [],
  };
  const resolve: Resolver = async (hostname) =>
    (table[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  const lookup = createGuardedLookup(createAddressPolicy(), resolve);

  function run(hostname: string, options: { all?: boolean; family?: number }) {
    return new Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }>(
      (done) => lookup(hostname, options, (error, address, family) => done({ error, address, family })),
    );
  }

  it('hands back checked addresses in both callback forms', async () => {
    const all = await run('public.test', { all: true });
    assert.equal(all.error, null);
    assert.deepEqual(all.address, [
      { address: '8.8.8.8', family: 4 },
      { address: '2606:4700:4700::1111', family: 6 },
    ]);
    const single = await run('public.test', { family: 6 });
    assert.deepEqual([single.address, single.family], ['2606:4700:4700::1111', 6]);
  });

  it('refuses a name if any of its addresses is refused', async () => {
    for (const name of ['private.test', 'mixed.test']) {
      const { error } = await run(name, { all: true });
      assert.ok(error instanceof NodeError && error.code === 'SSRF_BLOCKED', name);
      assert.match(error.message, new RegExp(name.replace('.', '\\.')));
    }
  });

  it('reports ENOTFOUND when no address fits', async () => {
    assert.equal((await run('empty.test', {})).error?.code, 'ENOTFOUND');
    assert.equal((await run('private.test', { family: 6 })).error?.code, 'SSRF_BLOCKED');
  });
});
