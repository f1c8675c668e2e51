/**
 * @module delivery/ssrf-guard
 * Which addresses user-configured outbound HTTP (action_webhook) may reach. Loopback, private,
 * link-local, unique-local, unspecified, CGNAT, multicast, broadcast, reserved and cloud-metadata
 * addresses are refused, including when wrapped in IPv6 (IPv4-mapped, IPv4-compatible, NAT64,
 * 6to4; Teredo outright). The check runs on IP literals in the URL and, through the DNS lookup
 * hook handed to the socket, on every address a name resolves to: the socket connects to the very
 * address that was checked, so a second DNS answer cannot slip in between check and connect.
 * Alternative IPv4 spellings (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`) never reach us as
 * such: the WHATWG URL parser normalises them to dotted decimal before the check sees them.
 */

import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { NodeError } from '../nodes/node-type.ts';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** Returns why an address is refused, or null when it may be reached. */
export type AddressPolicy = (address: IpAddress) => string | null;

/** DNS: every address a name resolves to (tests inject a fixed table). */
export type Resolver = (hostname: string) => Promise<readonly { readonly address: string; readonly family: number }[]>;

export const SSRF_BLOCKED = 'SSRF_BLOCKED';

// Addresses of instance-metadata services, named in the message because they are the usual prize.
const METADATA_ADDRESSES = new Set([
  '169.254.169.254',
  '169.254.170.2',
  'fd00:ec2::254',
  'fd00:ec2::23',
  '100.100.100.200',
]);

const RANGE_NAMES: Readonly<Record<string, string>> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  uniqueLocal: 'unique-local (private)',
  deprecatedSiteLocal: 'site-local (private)',
  teredo: 'Teredo tunnel',
};

function ipv4FromParts(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** The IPv4 address an IPv6 address carries, and how, for the embeddings that route to it. */
function embeddedIpv4(address: ipaddr.IPv6): { readonly via: string; readonly inner: ipaddr.IPv4 } | null {
  const p = address.parts;
  const range = address.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145') return { via: 'IPv4-mapped', inner: ipv4FromParts(p[6], p[7]) };
  if (range === 'rfc6052' && p[2] === 0) return { via: 'NAT64', inner: ipv4FromParts(p[6], p[7]) };
  if (range === '6to4') return { via: '6to4', inner: ipv4FromParts(p[1], p[2]) };
  if (p.slice(0, 6).every((part) => part === 0)) return { via: 'IPv4-compatible', inner: ipv4FromParts(p[6], p[7]) };
  return null;
}

/** Why this address is not a public unicast destination, or null when it is one. */
export function blockedAddressReason(address: IpAddress): string | null {
  const text = address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
  if (METADATA_ADDRESSES.has(text)) return 'cloud metadata endpoint';
  const range = address.range();
  if (address.kind() === 'ipv6') {
    if (range === 'unspecified' || range === 'loopback') return `${RANGE_NAMES[range]} address`;
    const embedded = embeddedIpv4(address as ipaddr.IPv6);
    if (embedded) {
      const inner = blockedAddressReason(embedded.inner);
      return inner ? `${embedded.via} ${embedded.inner.toString()}, ${inner}` : null;
    }
  }
  if (range === 'unicast') return null;
  return `${RANGE_NAMES[range] ?? `special-purpose (${range})`} address`;
}

/** Parses an address as the socket layer sees it (IPv6 with or without brackets/zone). */
export function parseIpLiteral(host: string): IpAddress | null {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const withoutZone = bare.includes('%') ? bare.slice(0, bare.indexOf('%')) : bare;
  return ipaddr.isValid(withoutZone) ? ipaddr.parse(withoutZone) : null;
}

export interface AddressPolicyOptions {
  /** ALLOW_PRIVATE_NETWORK: every address may be reached. */
  readonly allowPrivateNetwork?: boolean;
  /** Exact addresses exempted from the check (tests: the local stub server). */
  readonly allowAddresses?: readonly string[];
}

export function createAddressPolicy(options: AddressPolicyOptions = {}): AddressPolicy {
  if (options.allowPrivateNetwork) return () => null;
  const exempt = new Set((options.allowAddresses ?? []).map((entry) => parseIpLiteral(entry)?.toNormalizedString()));
  return function refuseNonPublic(address) {
    return exempt.has(address.toNormalizedString()) ? null : blockedAddressReason(address);
  };
}

export function ssrfError(host: string, address: string, reason: string): NodeError {
  const bareHost = host.replace(/^\[|\]$/g, '');
  const shown = bareHost === address ? address : `${host} (${address})`;
  const hint = 'outbound calls to private networks are disabled (ALLOW_PRIVATE_NETWORK)';
  return new NodeError(`refusing to connect to ${shown}: ${reason}; ${hint}`, SSRF_BLOCKED, { retryable: false });
}

/**
 * Checks what can be checked before connecting: the scheme, and the host when it is an IP
 * literal (the socket does not look literals up, so the lookup hook would never see them).
 */
export function checkOutboundUrl(url: URL, policy: AddressPolicy): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NodeError(`only http and https URLs may be called, not ${url.protocol}`, SSRF_BLOCKED, {
      retryable: false,
    });
  }
  const literal = parseIpLiteral(url.hostname);
  const reason = literal ? policy(literal) : null;
  if (literal && reason) throw ssrfError(url.hostname, url.hostname.replace(/^\[|\]$/g, ''), reason);
}

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls.connect: resolves through `resolve`, refuses the connection if ANY
 * resolved address is refused by the policy (a name that mixes public and private answers is
 * an attack, not an accident), and hands the socket only checked addresses.
 */
export function createGuardedLookup(policy: AddressPolicy, resolve: Resolver = systemResolver) {
  return function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
    resolve(hostname).then(
      (answers) => {
        for (const answer of answers) {
          const parsed = parseIpLiteral(answer.address);
          const reason = parsed ? policy(parsed) : 'unparsable DNS answer';
          if (reason) return callback(ssrfError(hostname, answer.address, reason), '');
        }
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = answers
          .filter((a) => wanted === 0 || a.family === wanted)
          .map((a) => ({ address: a.address, family: a.family }));
        if (usable.length === 0) {
          const error: NodeJS.ErrnoException = new Error(`no address found for ${hostname}`);
          error.code = 'ENOTFOUND';
          return callback(error, '');
        }
        if (options.all) return callback(null, usable);
        return callback(null, usable[0].address, usable[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}
