import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';

/** Why a URL may not be fetched. */
export class ForbiddenUrlError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`Refused to fetch ${url}: ${reason}`);
    this.name = 'ForbiddenUrlError';
  }
}

/** Which private destinations are allowed: none (the default), all, or these addresses and CIDR ranges. */
export type PrivateNetworkAllowance = boolean | readonly string[];

/** ipaddr.js ranges that a crawler must not reach: everything but the public internet. */
const forbiddenRanges = new Set([
  'unspecified',
  'broadcast',
  'multicast',
  'linkLocal',
  'loopback',
  'carrierGradeNat',
  'private',
  'reserved',
  'uniqueLocal',
  'ipv4Mapped',
  'rfc6145',
  'rfc6052',
  '6to4',
  'teredo',
  'benchmarking',
  'amt',
  'as112',
  'as112v6',
  'deprecated',
  'orchid2',
  'droneRemoteIdProtocolEntityTags',
]);

/** Parses an address, turning IPv4-mapped IPv6 (::ffff:127.0.0.1) into the IPv4 it carries. */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return undefined;
  const parsed = ipaddr.parse(bare);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
}

function isAllowedByList(address: ipaddr.IPv4 | ipaddr.IPv6, allowance: readonly string[]): boolean {
  return allowance.some((entry) => {
    try {
      if (entry.includes('/')) {
        const [range, bits] = ipaddr.parseCIDR(entry);
        return range.kind() === address.kind() && address.match(range, bits);
      }
      const allowed = parseAddress(entry);
      return allowed !== undefined && allowed.kind() === address.kind() && allowed.toNormalizedString() === address.toNormalizedString();
    } catch {
      return false;
    }
  });
}

/**
 * Why an address is forbidden (loopback, private, link-local, carrier-grade NAT, the
 * cloud metadata address, ...), or undefined when it is public or allowed.
 */
export function forbiddenAddressReason(address: string, allowance: PrivateNetworkAllowance = false): string | undefined {
  const parsed = parseAddress(address);
  if (!parsed) return `"${address}" is not an IP address`;
  const range = parsed.range();
  if (!forbiddenRanges.has(range)) return undefined;
  if (allowance === true || (Array.isArray(allowance) && isAllowedByList(parsed, allowance))) return undefined;
  return `${parsed.toString()} is a ${range} address (set INGEST_ALLOW_PRIVATE_NETWORKS to allow it)`;
}

/**
 * Checks a URL before any connection: http(s) only, no credentials, and an IP-literal
 * host must be public. The WHATWG parser has already turned decimal, octal and hex IPv4
 * forms (http://2130706433/, http://0x7f.1/) into dotted quads. Names are checked when
 * they resolve (see guardedLookup), so a name cannot be re-pointed after the check.
 */
export function assertFetchableUrl(url: string, allowance: PrivateNetworkAllowance = false): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ForbiddenUrlError(url, 'it is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ForbiddenUrlError(url, `the scheme ${parsed.protocol} is not http or https`);
  if (parsed.username || parsed.password) throw new ForbiddenUrlError(url, 'it carries credentials');
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) {
    const reason = forbiddenAddressReason(host, allowance);
    if (reason) throw new ForbiddenUrlError(url, reason);
  } else if (/(^|\.)(localhost|localhost\.localdomain)$/i.test(host)) {
    if (allowance === false) throw new ForbiddenUrlError(url, `${host} is a loopback name (set INGEST_ALLOW_PRIVATE_NETWORKS to allow it)`);
  }
  return parsed;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A DNS lookup for the HTTP client's connections that refuses forbidden addresses: every
 * address a name resolves to must be allowed, on every connection and redirect hop.
 */
export function guardedLookup(allowance: PrivateNetworkAllowance) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, []);
        return;
      }
      const list = addresses as LookupAddress[];
      for (const entry of list) {
        const reason = forbiddenAddressReason(entry.address, allowance);
        if (reason) {
          const refusal = new ForbiddenUrlError(hostname, `it resolves to ${reason}`) as ForbiddenUrlError & NodeJS.ErrnoException;
          refusal.code = 'ERR_FORBIDDEN_ADDRESS';
          callback(refusal, []);
          return;
        }
      }
      if (options.all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
