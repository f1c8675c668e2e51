/** @module webhooks/client-ip.test Client address resolution behind (trusted and untrusted) proxies. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTrustProxySetting, resolveClientIp } from './client-ip.ts';

describe('resolveClientIp', () => {
  it('ignores X-Forwarded-For when proxies are not trusted', () => {
    const ip = resolveClientIp({ remoteAddress: '203.0.113.5', forwardedFor: '1.1.1.1', trustProxy: false });
    assert.equal(ip, '203.0.113.5');
  });

  it('normalises an IPv4-mapped socket address to IPv4', () => {
    assert.equal(
      resolveClientIp({ remoteAddress: '::ffff:127.0.0.1', forwardedFor: undefined, trustProxy: false }),
      '127.0.0.1',
    );
    assert.equal(
      resolveClientIp({ remoteAddress: '2001:0db8::0001', forwardedFor: undefined, trustProxy: false }),
      '2001:db8::1',
    );
  });

  it('with trustProxy true, the leftmost forwarded address is the client', () => {
    const ip = resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: '198.51.100.7, 10.0.0.9', trustProxy: true });
    assert.equal(ip, '198.51.100.7');
  });

  it('uses the socket address when trusted but no header was sent', () => {
    assert.equal(resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: undefined, trustProxy: true }), '10.0.0.2');
  });

  it('with a CIDR list, ignores the header when the peer is not a trusted proxy', () => {
    const ip = resolveClientIp({
      remoteAddress: '198.51.100.66',
      forwardedFor: '10.0.0.1',
      trustProxy: ['10.0.0.0/8'],
    });
    assert.equal(ip, '198.51.100.66');
  });

  it('walks from the right, skipping trusted hops, and stops at the first untrusted one', () => {
    // The client forged "1.1.1.1"; the real client 198.51.100.7 was appended by our proxy 10.0.0.9.
    const ip = resolveClientIp({
      remoteAddress: '::ffff:10.0.0.2',
      forwardedFor: '1.1.1.1, 198.51.100.7, 10.0.0.9',
      trustProxy: ['10.0.0.0/8'],
    });
    assert.equal(ip, '198.51.100.7');
  });

  it('returns the leftmost address when every hop is trusted', () => {
    const ip = resolveClientIp({
      remoteAddress: '10.0.0.2',
      forwardedFor: '10.1.1.1, 10.0.0.9',
      trustProxy: ['10.0.0.0/8'],
    });
    assert.equal(ip, '10.1.1.1');
  });

  it('accepts repeated headers (array form) as one chain', () => {
    const ip = resolveClientIp({
      remoteAddress: '10.0.0.2',
      forwardedFor: ['1.1.1.1', '198.51.100.7'],
      trustProxy: ['10.0.0.0/8'],
    });
    assert.equal(ip, '198.51.100.7');
  });

  it('stops at a malformed element: the hop that handed it to us is the client', () => {
    const ip = resolveClientIp({
      remoteAddress: '10.0.0.2',
      forwardedFor: 'evil<script>, 10.0.0.7',
      trustProxy: ['10.0.0.0/8'],
    });
    assert.equal(ip, '10.0.0.7');
    const direct = resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: 'not-an-ip', trustProxy: true });
    assert.equal(direct, '10.0.0.2');
  });

  it('understands ports and brackets in forwarded elements', () => {
    const v4 = resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: '198.51.100.7:4711', trustProxy: true });
    const v6 = resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: '[2001:db8::7]:4711', trustProxy: true });
    assert.equal(v4, '198.51.100.7');
    assert.equal(v6, '2001:db8::7');
  });

  it('treats an empty trust list as trusting nobody', () => {
    assert.equal(resolveClientIp({ remoteAddress: '10.0.0.2', forwardedFor: '1.1.1.1', trustProxy: [] }), '10.0.0.2');
  });

  it("returns '' when the socket address is unknown", () => {
    assert.equal(resolveClientIp({ remoteAddress: undefined, forwardedFor: '1.1.1.1', trustProxy: true }), '');
  });
});

describe('parseTrustProxySetting', () => {
  it('reads booleans and CIDR lists', () => {
    assert.equal(parseTrustProxySetting(undefined), false);
    assert.equal(parseTrustProxySetting('false'), false);
    assert.equal(parseTrustProxySetting('TRUE'), true);
    const list = parseTrustProxySetting('10.0.0.0/8, 192.168.0.1');
    assert.ok(typeof list === 'object' && 'ranges' in list && list.ranges.length === 2);
    assert.equal(
      resolveClientIp({ remoteAddress: '192.168.0.1', forwardedFor: '198.51.100.7', trustProxy: list }),
      '198.51.100.7',
    );
  });

  it('names the variable and the bad entry', () => {
    assert.throws(() => parseTrustProxySetting('10.0.0.0/8,bogus'), /TRUST_PROXY\[1\] "bogus"/);
  });
});
