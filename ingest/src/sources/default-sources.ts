import type { SourceInput, Store } from '@cairn/store';

/** A weekly re-ingestion, Sunday 03:00 UTC (cron syntax, for the queue's repeatable jobs). */
const weekly = '0 3 * * 0';

/**
 * The real sources of the persona, as the crawler should treat them. Public facts: the
 * Larson sites are Hugo/ananke with sitemaps at /sitemap.xml and RSS at /index.xml
 * (staffeng) or /feeds.xml (lethain, infraeng); larahogan.me keeps posts under /blog/
 * with a feed at /feed.xml. Listing pages (tags, categories, pagination) are excluded:
 * they repeat articles, they are not articles.
 */
export const defaultSources: SourceInput[] = [
  {
    name: 'lethain',
    kind: 'web',
    baseUrl: 'https://lethain.com/',
    seeds: ['https://lethain.com/sitemap.xml', 'https://lethain.com/feeds.xml'],
    exclude: ['/tags/', '/categories/', '/page/\\d+/?$'],
    maxPages: 2000,
    crawlDelayMs: 2000,
    schedule: weekly,
  },
  {
    name: 'staffeng',
    kind: 'web',
    baseUrl: 'https://staffeng.com/',
    seeds: ['https://staffeng.com/sitemap.xml', 'https://staffeng.com/index.xml'],
    exclude: ['/tags/', '/categories/', '/page/\\d+/?$'],
    maxPages: 500,
    crawlDelayMs: 2000,
    schedule: weekly,
  },
  {
    name: 'infraeng',
    kind: 'web',
    baseUrl: 'https://infraeng.dev/',
    seeds: ['https://infraeng.dev/sitemap.xml', 'https://infraeng.dev/feeds.xml'],
    exclude: ['/tags/', '/categories/', '/page/\\d+/?$'],
    maxPages: 300,
    crawlDelayMs: 2000,
    schedule: weekly,
  },
  {
    name: 'larahogan',
    kind: 'web',
    baseUrl: 'https://larahogan.me/',
    seeds: ['https://larahogan.me/feed.xml', 'https://larahogan.me/sitemap.xml', 'https://larahogan.me/blog/'],
    include: ['^https://larahogan\\.me/blog/[^/]+/$'],
    maxPages: 500,
    crawlDelayMs: 2000,
    schedule: weekly,
  },
  {
    name: 'technical-coherence',
    kind: 'web',
    baseUrl: 'https://jackdanger.com/',
    seeds: ['https://jackdanger.com/technical-coherence/', 'https://jackdanger.com/infrastructure-gravity/'],
    include: ['/technical-coherence', '/infrastructure-gravity'],
    maxPages: 20,
    crawlDelayMs: 2000,
    schedule: weekly,
  },
];

/**
 * Writes the default sources into the database, leaving any that exist as they are (an
 * operator's edits win). Crawling them is a separate, explicit step.
 */
export async function ensureDefaultSources(store: Store): Promise<string[]> {
  const added: string[] = [];
  for (const source of defaultSources) {
    if (await store.sources.findByName(source.name)) continue;
    await store.sources.upsert(source);
    added.push(source.name);
  }
  return added;
}
