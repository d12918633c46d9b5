import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { CairnError } from '@cairn/core';

/** Why a URL may not be fetched (code `forbidden`); the message says how to allow it where it can be. */
export class ForbiddenUrlError extends CairnError {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super('forbidden', `Refused to fetch ${url}: ${reason}`, { details: { url, reason } });
    this.name = 'ForbiddenUrlError';
  }
}

/**
 * Why the guard refused a fetch, from the error it ended in (a ForbiddenUrlError somewhere
 * in its chain of causes): the reason alone (`10.0.0.1 is a private address (...)`),
 * without the URL it was checked on; the error's message when no refusal is found.
 */
export function refusalReason(error: Error): string {
  let cause: unknown = error;
  for (let depth = 0; depth < 5 && cause instanceof Error; depth += 1) {
    if (cause instanceof ForbiddenUrlError) return cause.reason;
    cause = cause.cause;
  }
  return error.message;
}

/** Which private destinations are allowed: none (the default), all, or these addresses and CIDR ranges. */
export type PrivateNetworkAllowance = boolean | readonly string[];

/** Every public IPv6 address lies in global unicast space (RFC 4291); the rest is reserved. */
const globalUnicastV6 = ipaddr.IPv6.parseCIDR('2000::/3');
/** IPv4-compatible IPv6 (::127.0.0.1, deprecated by RFC 4291): an IPv4 address in disguise. */
const ipv4CompatibleV6 = ipaddr.IPv6.parseCIDR('::/96');

/**
 * The range an address lies in, by ipaddr.js's names, plus two for IPv6 addresses that
 * ipaddr.js calls plain unicast but no public host has: IPv4-compatible ones, and anything
 * outside 2000::/3.
 */
function rangeOf(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  const range = address.range();
  if (range !== 'unicast' || address.kind() === 'ipv4') return range;
  if (address.match(ipv4CompatibleV6)) return 'ipv4Compatible';
  return address.match(globalUnicastV6) ? range : 'nonGlobalIpv6';
}

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
  // Only plain unicast is public: a list of forbidden ranges falls behind ipaddr.js, which
  // names ranges (discard, deprecatedSiteLocal, segmentRouting) such a list did not have.
  const range = rangeOf(parsed);
  if (range === 'unicast') return undefined;
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
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new ForbiddenUrlError(url, `the scheme ${parsed.protocol} is not http or https`);
  if (parsed.username || parsed.password) throw new ForbiddenUrlError(url, 'it carries credentials');
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) {
    const reason = forbiddenAddressReason(host, allowance);
    if (reason) throw new ForbiddenUrlError(url, reason);
  } else if (/(^|\.)(localhost|localhost\.localdomain)\.?$/i.test(host)) {
    // The trailing dot makes a fully qualified name (`localhost.`): the same host.
    if (allowance === false) throw new ForbiddenUrlError(url, `${host} is a loopback name (set INGEST_ALLOW_PRIVATE_NETWORKS to allow it)`);
  }
  return parsed;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A failed lookup as the socket layer expects one, with an errno-style `code` (as getaddrinfo's). */
function lookupError(code: string, message: string, cause?: unknown): NodeJS.ErrnoException {
  return Object.assign(new Error(message, { cause }), { code });
}

/** Every address a name resolves to: what the guard asks before a connection. */
export type HostResolver = (
  hostname: string,
  options: LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** The system resolver (getaddrinfo: /etc/hosts, then DNS). */
export const systemResolver: HostResolver = (hostname, options, callback) => dnsLookup(hostname, { ...options, all: true }, callback);

/**
 * A DNS lookup for the HTTP client's connections that refuses forbidden addresses: every
 * address a name resolves to must be allowed, on every connection and redirect hop. The
 * answer checked is the answer connected to, so a name cannot be re-pointed in between.
 * `resolve` is where names are resolved (tests give one: there is no DNS to point at them).
 */
export function guardedLookup(allowance: PrivateNetworkAllowance, resolve: HostResolver = systemResolver) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, options, (error, list) => {
      if (error) {
        callback(error, []);
        return;
      }
      for (const entry of list) {
        const reason = forbiddenAddressReason(entry.address, allowance);
        if (reason) {
          // The refusal rides as the cause of an errno-style error: its own `code` is the
          // table's `forbidden`, and the HTTP client knows a refused lookup by ERR_FORBIDDEN_ADDRESS.
          const refusal = new ForbiddenUrlError(hostname, `it resolves to ${reason}`);
          callback(lookupError('ERR_FORBIDDEN_ADDRESS', refusal.message, refusal), []);
          return;
        }
      }
      if (list.length === 0) {
        callback(lookupError('ENOTFOUND', `${hostname} resolves to no address`), []);
        return;
      }
      if (options.all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
