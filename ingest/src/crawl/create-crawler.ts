import { ExtractionPool, type ExtractionPoolOptions, type PageReader } from './extraction-pool.js';
import { defaultFetchPolicy, PageFetcher, type FetchPolicy } from './fetch-page.js';
import { HostScheduler, type HostGate } from './host-scheduler.js';
import { RobotsCache } from './robots-cache.js';
import { SharedHostScheduler } from './shared-host-scheduler.js';
import type { HostResolver, PrivateNetworkAllowance } from './ssrf-guard.js';

/** The product token that robots.txt rules name this crawler by. */
export const crawlerToken = 'CairnBot';

/** An identifiable User-Agent: product, version, and where a site owner can reach the operator. */
export function crawlerUserAgent(contact: string): string {
  return `${crawlerToken}/0.1 (+${contact})`;
}

export interface Crawler {
  fetcher: PageFetcher;
  robots: RobotsCache;
  scheduler: HostGate;
  /** Reads fetched pages and sitemaps in a worker thread (ExtractionPool), off the event loop. */
  reader: PageReader;
  close(): Promise<void>;
}

/** The crawler's HTTP client, robots.txt cache, per-host scheduler and extraction thread, configured together. */
export function createCrawler(options: {
  allowance: PrivateNetworkAllowance;
  contact: string;
  policy?: Partial<Omit<FetchPolicy, 'userAgent' | 'allowance'>>;
  /** Upper bound on a site's Crawl-delay (default 10 s). */
  maxCrawlDelayMs?: number;
  /**
   * Shares per-host politeness with every other process crawling through this Redis (the
   * queue's workers); without it, politeness holds within this process.
   */
  sharedPoliteness?: { redisUrl: string; prefix: string };
  /** Where names are resolved before the SSRF guard checks every address (the system's by default). */
  resolver?: HostResolver;
  /** Limits of the extraction thread (time and heap for one page). */
  extraction?: ExtractionPoolOptions;
}): Crawler {
  const fetcher = new PageFetcher(
    { ...defaultFetchPolicy, ...options.policy, userAgent: crawlerUserAgent(options.contact), allowance: options.allowance },
    options.resolver,
  );
  const scheduler = options.sharedPoliteness
    ? new SharedHostScheduler(options.sharedPoliteness.redisUrl, { prefix: options.sharedPoliteness.prefix })
    : new HostScheduler();
  const reader = new ExtractionPool(options.extraction);
  return {
    fetcher,
    robots: new RobotsCache(fetcher, { agentToken: crawlerToken, maxCrawlDelayMs: options.maxCrawlDelayMs ?? 10_000, gate: scheduler }),
    scheduler,
    reader,
    async close() {
      await reader.close();
      await fetcher.close();
      if (scheduler instanceof SharedHostScheduler) await scheduler.close();
    },
  };
}
