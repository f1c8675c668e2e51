/** @module webhooks/ip-allowlist.test Allowlist validation and matching, IPv4 and IPv6. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IpAllowlistError, isIpAllowed, parseIpAllowlist, validateIpAllowlist } from './ip-allowlist.ts';

describe('validateIpAllowlist', () => {
  it('accepts addresses and CIDR ranges of both families', () => {
    const entries = [
      '192.168.1.0/24',
      '10.0.0.1',
      '2001:db8::/32',
      '::1',
      '::ffff:10.0.0.0/104',
      '0.0.0.0/0',
      ' 8.8.8.8 ',
    ];
    assert.deepEqual(validateIpAllowlist(entries), []);
  });

  it('treats a missing allowlist as valid', () => {
    assert.deepEqual(validateIpAllowlist(undefined), []);
    assert.deepEqual(validateIpAllowlist(null), []);
  });

  it('names each bad entry by index and value', () => {
    const problems = validateIpAllowlist(['10.0.0.1', '10.0.0.300', 'example.com', '10.0.0.0/33', '2001:db8::/129']);
    assert.equal(problems.length, 4);
    assert.match(problems[0], /ip_allowlist\[1\] "10\.0\.0\.300" is not an IPv4\/IPv6 address/);
    assert.match(problems[1], /ip_allowlist\[2\] "example\.com"/);
    assert.match(
      problems[2],
      /ip_allowlist\[3\] "10\.0\.0\.0\/33" has an invalid prefix length \(expected 0-32 for IPv4\)/,
    );
    assert.match(
      problems[3],
      /ip_allowlist\[4\] "2001:db8::\/129" has an invalid prefix length \(expected 0-128 for IPv6\)/,
    );
  });

  it('refuses ambiguous and non-standard IPv4 spellings', () => {
    for (const entry of ['010.0.0.1', '0x7f.1', '127.1', '2130706433', '1.2.3.4/', '1.2.3.4/-1', '1.2.3.4/8/8', '']) {
      assert.equal(validateIpAllowlist([entry]).length, 1, `${JSON.stringify(entry)} must be refused`);
    }
  });

  it('refuses non-arrays, non-strings and oversized lists', () => {
    assert.match(validateIpAllowlist('10.0.0.1')[0], /must be an array/);
    assert.match(validateIpAllowlist([42])[0], /ip_allowlist\[0\] must be a string, got number/);
    assert.match(validateIpAllowlist(Array(1001).fill('10.0.0.1'))[0], /at most 1000/);
  });

  it('parseIpAllowlist throws an error listing the problems', () => {
    assert.throws(
      () => parseIpAllowlist(['1.2.3.4', 'nope']),
      (error: unknown) =>
        error instanceof IpAllowlistError && error.problems.length === 1 && /"nope"/.test(error.message),
    );
  });
});

describe('isIpAllowed', () => {
  const list = parseIpAllowlist(['192.168.1.0/24', '10.0.0.1', '2001:db8::/32']);

  it('admits everyone when the list is empty', () => {
    assert.equal(isIpAllowed([], '203.0.113.9'), true);
    assert.equal(isIpAllowed(parseIpAllowlist([]), '2001:db8::1'), true);
  });

  it('matches IPv4 ranges and single addresses', () => {
    assert.equal(isIpAllowed(list, '192.168.1.77'), true);
    assert.equal(isIpAllowed(list, '192.168.2.1'), false);
    assert.equal(isIpAllowed(list, '10.0.0.1'), true);
    assert.equal(isIpAllowed(list, '10.0.0.2'), false);
  });

  it('matches IPv6 ranges, in any spelling', () => {
    assert.equal(isIpAllowed(list, '2001:db8:0:0:0:0:0:5'), true);
    assert.equal(isIpAllowed(list, '2001:0db8::abcd'), true);
    assert.equal(isIpAllowed(list, '2001:db9::1'), false);
  });

  it('matches IPv4-mapped IPv6 client addresses as IPv4', () => {
    assert.equal(isIpAllowed(list, '::ffff:192.168.1.5'), true);
    assert.equal(isIpAllowed(list, '::ffff:c0a8:0105'), true);
    assert.equal(isIpAllowed(list, '::ffff:10.0.0.2'), false);
  });

  it('matches IPv4-mapped allowlist entries against plain IPv4 clients', () => {
    const mapped = parseIpAllowlist(['::ffff:10.1.0.0/112', '::ffff:172.16.0.9']);
    assert.equal(isIpAllowed(mapped, '10.1.200.3'), true);
    assert.equal(isIpAllowed(mapped, '10.2.0.1'), false);
    assert.equal(isIpAllowed(mapped, '172.16.0.9'), true);
  });

  it('does not let IPv4 and IPv6 ranges match across families', () => {
    assert.equal(isIpAllowed(['0.0.0.0/0'], '2001:db8::1'), false);
    assert.equal(isIpAllowed(['::/0'], '1.2.3.4'), false);
  });

  it('refuses unparsable client addresses when a list is set', () => {
    assert.equal(isIpAllowed(list, ''), false);
    assert.equal(isIpAllowed(list, 'garbage'), false);
    assert.equal(isIpAllowed(list, '192.168.1.5, 1.2.3.4'), false);
  });

  it('works on raw stored strings, ignoring invalid entries rather than widening', () => {
    assert.equal(isIpAllowed(['not-an-ip', '10.0.0.0/8'], '10.9.9.9'), true);
    assert.equal(isIpAllowed(['not-an-ip'], '10.9.9.9'), false);
  });
});
