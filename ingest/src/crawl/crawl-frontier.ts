import { setImmediate as nextTurn } from 'node:timers/promises';
import { normalizeUrl } from '../extract/normalize-url.js';
import { sameAddress, type MirrorMapping } from './mirror-mapping.js';

/** How long adding links may hold the event loop before it lets other work (requests, timers) in. */
const sliceMs = 10;

/**
 * A page waiting to be crawled: `key`, the normalised URL it is stored under (the public
 * one, for a mirror), and `url`, the URL to request (the mirror's copy).
 */
export interface FrontierPage {
  key: string;
  url: string;
}

/**
 * The URLs one crawl of a source has found, in the order found, each queued once and only
 * when in the source's scope. A page is known by its normalised URL (trailing slash added,
 * as the real sites' URLs have it) but fetched as linked: a guessed slash can 404 where a
 * redirect would not. A mirror's page is known by its public URL and fetched from the
 * mirror, whichever of the two a link names.
 */
export class CrawlFrontier {
  private readonly known = new Set<string>();
  private readonly waiting: FrontierPage[] = [];
  /** The normalised URLs of the pages found to exist: what a complete crawl keeps. */
  readonly seen: string[] = [];

  constructor(
    readonly inScope: (url: string) => boolean,
    private readonly mapping: MirrorMapping = sameAddress,
  ) {}

  /**
   * Queues a URL from a sitemap, a feed or a page; one already known, out of scope or not a URL is ignored. Says which
   * (with the normalised URL the source's patterns were matched against).
   */
  add(url: string): { status: 'added' | 'known' | 'out_of_scope' | 'invalid'; key?: string } {
    let key: string;
    let fetchUrl: string;
    try {
      key = normalizeUrl(this.mapping.toPublic(url));
      fetchUrl = this.mapping.toMirror(normalizeUrl(url, { trailingSlash: false }));
    } catch {
      return { status: 'invalid' };
    }
    if (this.known.has(key)) return { status: 'known', key };
    if (!this.inScope(key)) return { status: 'out_of_scope', key };
    this.known.add(key);
    this.waiting.push({ key, url: fetchUrl });
    return { status: 'added', key };
  }

  /**
   * Queues many URLs (a page's links, a sitemap's entries) as `add` does, letting the event
   * loop turn every 10 ms: a page of 50,000 links is seconds of normalising and matching,
   * which must not hold up the API's requests or the other pages of the crawl.
   */
  async addAll(urls: Iterable<string>): Promise<void> {
    let sliceStart = performance.now();
    for (const url of urls) {
      this.add(url);
      if (performance.now() - sliceStart >= sliceMs) {
        await nextTurn();
        sliceStart = performance.now();
      }
    }
  }

  /** Notes a page found to exist under `locator` (its canonical URL, which is then never queued). */
  markSeen(locator: string): void {
    this.known.add(locator);
    this.seen.push(locator);
  }

  /** The next page to crawl, taken off the frontier. */
  next(): FrontierPage | undefined {
    return this.waiting.shift();
  }

  get hasWaiting(): boolean {
    return this.waiting.length > 0;
  }

  /** Drops every page still waiting (the crawl has reached its page limit). */
  clear(): void {
    this.waiting.length = 0;
  }

  /** URLs known so far, waiting, crawled or seen: the run's `discovered` count. */
  get discovered(): number {
    return this.known.size;
  }
}
