/**
 * @module webhooks/client-ip
 * Which address a request really came from. `X-Forwarded-For` is client-controlled text, so it is
 * believed only as far as `TRUST_PROXY` says: `false` ignores it, `true` trusts every hop, a CIDR
 * list trusts only proxies inside it. The chain is walked from the right (the hop nearest to us),
 * skipping trusted proxies; the first untrusted address is the client. Addresses come back
 * normalised (`::ffff:1.2.3.4` as `1.2.3.4`, IPv6 in RFC 5952 form) so allowlists and audit rows
 * see one spelling.
 */
import type ipaddr from 'ipaddr.js';
import {
  type IpAddress,
  type IpAllowlist,
  ipInRanges,
  parseIpAddress,
  parseIpAllowlist,
  validateIpAllowlist,
} from './ip-allowlist.ts';

/** `false`, `true`, or the proxies to trust (CIDR strings or an already parsed list). */
export type TrustProxy = boolean | readonly string[] | IpAllowlist;

export interface ClientIpInput {
  readonly remoteAddress: string | undefined;
  readonly forwardedFor: string | readonly string[] | undefined;
  readonly trustProxy: TrustProxy;
}

/** Canonical text of an address: IPv4 dotted, IPv6 compressed (RFC 5952). */
export function formatIpAddress(address: IpAddress): string {
  return address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
}

/** Parses one X-Forwarded-For element, tolerating the `1.2.3.4:port` and `[v6]:port` forms some proxies write. */
function parseForwardedElement(element: string): IpAddress | null {
  const text = element.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) return parseIpAddress(bracketed[1], { allowZone: true });
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(text);
  if (v4WithPort) return parseIpAddress(v4WithPort[1]);
  return parseIpAddress(text, { allowZone: true });
}

function splitForwardedFor(header: string | readonly string[] | undefined): string[] {
  if (header === undefined) return [];
  const joined = typeof header === 'string' ? header : header.join(',');
  return joined.split(',').filter((part) => part.trim() !== '');
}

function toTrustCheck(trustProxy: TrustProxy): (address: IpAddress) => boolean {
  if (trustProxy === true) return () => true;
  if (trustProxy === false) return () => false;
  const list = Array.isArray(trustProxy) ? parseIpAllowlist(trustProxy) : (trustProxy as IpAllowlist);
  // Unlike a webhook allowlist, an empty trust list trusts nobody.
  return (address) => ipInRanges(list.ranges, address);
}

/**
 * The client address of a request, or '' when the socket address is unknown (closed socket).
 * A malformed X-Forwarded-For element stops the walk: the address to its right (the hop that
 * handed us that text) is the client.
 */
export function resolveClientIp(input: ClientIpInput): string {
  const remote = input.remoteAddress ? parseIpAddress(input.remoteAddress, { allowZone: true }) : null;
  if (!remote) return input.remoteAddress ?? '';
  const isTrusted = toTrustCheck(input.trustProxy);
  if (!isTrusted(remote)) return formatIpAddress(remote);
  let client = remote;
  const chain = splitForwardedFor(input.forwardedFor);
  for (let index = chain.length - 1; index >= 0; index -= 1) {
    const hop = parseForwardedElement(chain[index]);
    if (!hop) break;
    client = hop;
    if (!isTrusted(hop)) break;
  }
  return formatIpAddress(client);
}

/**
 * Reads the `TRUST_PROXY` setting: `true`/`1`/`yes`, `false`/`0`/`no`/empty, or a comma-separated
 * CIDR list. Throws with a message naming the variable and the bad entry.
 */
export function parseTrustProxySetting(raw: string | undefined, variable = 'TRUST_PROXY'): TrustProxy {
  const text = (raw ?? '').trim();
  if (/^(true|1|yes)$/i.test(text)) return true;
  if (text === '' || /^(false|0|no)$/i.test(text)) return false;
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const problems = validateIpAllowlist(entries, variable);
  if (problems.length > 0) {
    throw new Error(`${variable} must be true, false or a comma-separated CIDR list: ${problems.join('; ')}`);
  }
  return parseIpAllowlist(entries);
}
