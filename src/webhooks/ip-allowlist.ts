/**
 * @module webhooks/ip-allowlist
 * Webhook IP allowlists: single IPv4/IPv6 addresses and CIDR ranges, validated when a webhook is
 * created and matched per request. An empty allowlist admits everyone. IPv4-mapped IPv6 addresses
 * (`::ffff:1.2.3.4`, what a dual-stack socket reports for IPv4 peers) are matched as IPv4, on both
 * the entry side and the client side.
 *
 * Entries are parsed strictly: IPv4 only in dotted four-part decimal without leading zeros
 * (`010.0.0.1` is ambiguous between octal and decimal, so it is refused rather than guessed).
 * A CIDR whose host bits are set (`10.0.0.7/8`) is accepted and means its network (`10.0.0.0/8`).
 */
import ipaddr from 'ipaddr.js';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

export interface IpRange {
  readonly address: IpAddress;
  readonly prefixLength: number;
  /** The entry as the user wrote it, for messages. */
  readonly source: string;
}

export interface IpAllowlist {
  readonly ranges: readonly IpRange[];
}

export const MAX_ALLOWLIST_ENTRIES = 1000;
const MAX_ENTRY_LENGTH = 100;
const PREFIX_DIGITS = /^\d{1,3}$/;

/** Thrown by parseIpAllowlist; `problems` holds one message per bad entry. */
export class IpAllowlistError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'IpAllowlistError';
  }
}

/** Parses one address strictly; IPv4-mapped IPv6 comes back as IPv4. Null when not an address. */
export function parseIpAddress(text: string, options: { allowZone?: boolean } = {}): IpAddress | null {
  let candidate = text.trim();
  const zoneAt = candidate.indexOf('%');
  if (zoneAt !== -1) {
    if (!options.allowZone) return null;
    candidate = candidate.slice(0, zoneAt);
  }
  if (ipaddr.IPv4.isValidFourPartDecimal(candidate)) return ipaddr.IPv4.parse(candidate);
  if (!candidate.includes(':') || !ipaddr.IPv6.isValid(candidate)) return null;
  const v6 = ipaddr.IPv6.parse(candidate);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

function describeEntryProblem(entry: string): string | null {
  if (entry.length > MAX_ENTRY_LENGTH) return 'is too long';
  const slash = entry.indexOf('/');
  const addressPart = slash === -1 ? entry : entry.slice(0, slash);
  const raw = addressPart.includes(':') && ipaddr.IPv6.isValid(addressPart) ? ipaddr.IPv6.parse(addressPart) : null;
  const address = parseIpAddress(addressPart);
  if (!address) return 'is not an IPv4/IPv6 address or CIDR range';
  if (slash === -1) return null;
  const prefix = entry.slice(slash + 1);
  const max = raw ? 128 : 32;
  if (!PREFIX_DIGITS.test(prefix) || Number(prefix) > max) {
    return `has an invalid prefix length (expected 0-${max} for ${raw ? 'IPv6' : 'IPv4'})`;
  }
  return null;
}

/** Parses one entry (`10.0.0.1`, `192.168.0.0/16`, `2001:db8::/32`); null when invalid. */
export function parseIpRange(entry: string): IpRange | null {
  const source = entry.trim();
  if (describeEntryProblem(source) !== null) return null;
  const slash = source.indexOf('/');
  const addressPart = slash === -1 ? source : source.slice(0, slash);
  const address = parseIpAddress(addressPart) as IpAddress;
  const writtenAsV6 = addressPart.includes(':');
  const fullLength = writtenAsV6 ? 128 : 32;
  let prefixLength = slash === -1 ? fullLength : Number(source.slice(slash + 1));
  if (writtenAsV6 && address.kind() === 'ipv4') {
    // ::ffff:a.b.c.d/N with N >= 96 is the IPv4 range a.b.c.d/(N-96); shorter prefixes reach
    // outside the mapped block, so they stay IPv6 ranges (and IPv4 clients never fall in them).
    if (prefixLength < 96) return { address: ipaddr.IPv6.parse(addressPart), prefixLength, source };
    prefixLength -= 96;
  }
  return { address, prefixLength, source };
}

/**
 * Create-time validation of an `ip_allowlist` body field. Returns one message per problem, each
 * naming the bad entry by index and value; an empty array means valid.
 */
export function validateIpAllowlist(input: unknown, field = 'ip_allowlist'): readonly string[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) return [`${field} must be an array of IP addresses or CIDR ranges`];
  if (input.length > MAX_ALLOWLIST_ENTRIES)
    return [`${field} has ${input.length} entries; at most ${MAX_ALLOWLIST_ENTRIES} are allowed`];
  const problems: string[] = [];
  input.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string') {
      problems.push(`${field}[${index}] must be a string, got ${entry === null ? 'null' : typeof entry}`);
      return;
    }
    const problem = describeEntryProblem(entry.trim());
    if (problem) problems.push(`${field}[${index}] ${JSON.stringify(entry.slice(0, MAX_ENTRY_LENGTH))} ${problem}`);
  });
  return problems;
}

/** Parses a list validated at create time; throws IpAllowlistError naming every bad entry. */
export function parseIpAllowlist(entries: readonly string[]): IpAllowlist {
  const problems = validateIpAllowlist(entries);
  if (problems.length > 0) throw new IpAllowlistError(problems);
  return { ranges: entries.map((entry) => parseIpRange(entry) as IpRange) };
}

/** True when `ip` falls in any of the ranges. An empty range list matches nothing. */
export function ipInRanges(ranges: readonly IpRange[], ip: string | IpAddress): boolean {
  const address = typeof ip === 'string' ? parseIpAddress(ip, { allowZone: true }) : ip;
  if (!address) return false;
  for (const range of ranges) {
    if (range.address.kind() !== address.kind()) continue;
    // The kinds are equal, so this is the same-kind match ipaddr.js expects.
    if ((address as ipaddr.IPv4).match(range.address as ipaddr.IPv4, range.prefixLength)) return true;
  }
  return false;
}

/**
 * Whether a client may call the webhook. An empty list admits every client; otherwise the client
 * address must parse and fall in some entry. Raw string lists are parsed on the fly and their
 * invalid entries match nothing (they were refused at create time anyway).
 */
export function isIpAllowed(list: IpAllowlist | readonly string[], ip: string): boolean {
  const ranges = isParsedAllowlist(list)
    ? list.ranges
    : list.map((entry) => parseIpRange(entry)).filter((range): range is IpRange => range !== null);
  if (isParsedAllowlist(list) ? ranges.length === 0 : list.length === 0) return true;
  return ipInRanges(ranges, ip);
}

function isParsedAllowlist(list: IpAllowlist | readonly string[]): list is IpAllowlist {
  return !Array.isArray(list);
}
