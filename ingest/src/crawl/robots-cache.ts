import robotsParser from 'robots-parser';
import { FetchError, type PageFetcher } from './fetch-page.js';
import type { HostGate } from './host-scheduler.js';
import { refusalReason } from './ssrf-guard.js';

/** The rules of one origin for this crawler. */
export interface RobotsRules {
  isAllowed(url: string): boolean;
  /** Crawl-delay in milliseconds, capped; undefined when the file sets none. */
  crawlDelayMs: number | undefined;
  sitemaps: string[];
  /** What the rules came from, for the ledger and logs. */
  basis: 'robots.txt' | 'unavailable (4xx): all allowed' | 'unreachable: all disallowed' | 'refused: all disallowed';
  /**
   * Why the URL may not be fetched at all, whatever robots.txt says (the address guard
   * refused its host, or it is not an http(s) URL): robots.txt was not asked, and is not
   * what refuses it.
   */
  refusal?: string;
  /** Why robots.txt could not be read, when `basis` is unreachable: an HTTP status, or the network error (`getaddrinfo ENOTFOUND host`). */
  unreachable?: string;
}

export interface RobotsOptions {
  /** The product token matched against User-agent lines. */
  agentToken: string;
  /** How long rules are kept (RFC 9309 asks for at most 24 hours). */
  ttlMs?: number;
  /** Upper bound on a site's Crawl-delay. */
  maxCrawlDelayMs?: number;
  now?: () => number;
  /** Where robots.txt requests wait their host's turn, like every other request. */
  gate?: HostGate;
}

const day = 24 * 60 * 60 * 1000;
/** RFC 9309 reads robots.txt by its status, not its type: S3 serves it as binary/octet-stream, some servers as JSON. */
const robotsTypes = ['*'];
/** RFC 9309 2.5: a crawler parses at least the first 500 KiB of robots.txt; what follows is not read. */
export const robotsParseLimit = 500 * 1024;

/** The rules of a URL the crawler will not fetch at all: nothing allowed, and why. */
function refusedRules(refusal: string): RobotsRules {
  return { isAllowed: () => false, crawlDelayMs: undefined, sitemaps: [], basis: 'refused: all disallowed', refusal };
}

/**
 * robots.txt per RFC 9309, one fetch per origin and cache period: a 4xx means the file is
 * unavailable and everything is allowed; a 5xx or a network error means everything is
 * disallowed (and is retried sooner, after 5 minutes). Parsing is robots-parser's. A URL
 * the crawler refuses to fetch at all (its address, its scheme) gets rules that disallow
 * everything and say why (`refusal`), without a request, and never an exception.
 */
export class RobotsCache {
  private readonly cache = new Map<string, { rules: RobotsRules; expires: number }>();
  private readonly pending = new Map<string, Promise<RobotsRules>>();

  constructor(
    private readonly fetcher: PageFetcher,
    private readonly options: RobotsOptions,
  ) {}

  /**
   * The rules for `url`'s origin, fetched if not cached. The fetch waits for the host's
   * turn at the gate, unless the caller already holds that turn (`turnHeld`: a redirect
   * hop checked in the middle of a request to the same host).
   */
  async rulesFor(url: string, options: { turnHeld?: string } = {}): Promise<RobotsRules> {
    let parsed: URL;
    try {
      parsed = this.fetcher.check(url);
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      return refusedRules(refusalReason(error));
    }
    const origin = parsed.origin;
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(origin);
    if (cached && cached.expires > now) return cached.rules;
    let pending = this.pending.get(origin);
    if (!pending) {
      const gated = this.options.gate && options.turnHeld !== parsed.host;
      pending = this.load(origin, gated ? this.options.gate : undefined).finally(() => this.pending.delete(origin));
      this.pending.set(origin, pending);
    }
    return pending;
  }

  private async load(origin: string, gate: HostGate | undefined): Promise<RobotsRules> {
    const robotsUrl = `${origin}/robots.txt`;
    const now = (this.options.now ?? Date.now)();
    const ttl = Math.min(this.options.ttlMs ?? day, day);
    let rules: RobotsRules;
    let expires = now + ttl;
    try {
      const fetchRobots = () => this.fetcher.fetch({ url: robotsUrl, allowedTypes: robotsTypes, keepFirstBytes: robotsParseLimit });
      const result = gate ? await gate.run(new URL(origin).host, 0, fetchRobots) : await fetchRobots();
      if (result.kind === 'ok') {
        // A file cut at the limit loses its last, partial line: "Disallow: /private-area" cut
        // to "Disallow: /priv" would refuse more than the site asked.
        const text = result.truncated ? result.body.slice(0, result.body.lastIndexOf('\n') + 1) : result.body;
        const parsed = robotsParser(robotsUrl, text);
        const delaySeconds = parsed.getCrawlDelay(this.options.agentToken);
        const maxDelay = this.options.maxCrawlDelayMs ?? 10_000;
        rules = {
          isAllowed: (target) => parsed.isAllowed(target, this.options.agentToken) !== false,
          crawlDelayMs: delaySeconds === undefined ? undefined : Math.min(delaySeconds * 1000, maxDelay),
          sitemaps: parsed.getSitemaps(),
          basis: 'robots.txt',
        };
      } else if (result.kind === 'http_error' && result.status >= 400 && result.status < 500) {
        rules = { isAllowed: () => true, crawlDelayMs: undefined, sitemaps: [], basis: 'unavailable (4xx): all allowed' };
      } else {
        rules = {
          isAllowed: () => false,
          crawlDelayMs: undefined,
          sitemaps: [],
          basis: 'unreachable: all disallowed',
          unreachable: result.kind === 'http_error' ? `HTTP ${result.status}` : result.kind,
        };
        expires = now + 5 * 60 * 1000;
      }
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      // The guard refused the origin's own address (a name that resolves into private
      // space): its pages would be refused the same way, and robots.txt is not why.
      const refused = error.code === 'forbidden' && error.url === robotsUrl;
      rules = refused
        ? refusedRules(refusalReason(error))
        : {
            isAllowed: () => false,
            crawlDelayMs: undefined,
            sitemaps: [],
            basis: 'unreachable: all disallowed',
            unreachable: error.message,
          };
      expires = now + 5 * 60 * 1000;
    }
    this.cache.set(origin, { rules, expires });
    return rules;
  }
}
