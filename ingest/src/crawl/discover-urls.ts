import type * as Cheerio from 'cheerio';
import { cheerio } from '../extract/load-cheerio.js';

export interface DiscoveredUrl {
  url: string;
  /** lastmod of a sitemap entry, or the date of a feed item. */
  lastModified: Date | null;
}

export type DiscoveryDocument =
  | { kind: 'sitemap-index'; sitemaps: DiscoveredUrl[] }
  | { kind: 'sitemap'; urls: DiscoveredUrl[] }
  | { kind: 'feed'; urls: DiscoveredUrl[] };

function date(text: string | undefined): Date | null {
  if (!text?.trim()) return null;
  const parsed = new Date(text.trim());
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

function absolute(href: string | undefined, base: string): string | null {
  if (!href?.trim()) return null;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/**
 * Reads a sitemap (urlset), a sitemap index, an RSS 2.0 feed or an Atom feed, with the
 * dates each gives. Returns undefined for any other document.
 */
export function parseDiscoveryDocument(xml: string, baseUrl: string): DiscoveryDocument | undefined {
  const $ = cheerio().load(xml, { xml: true });
  const collect = (
    selector: string,
    locate: (element: Cheerio.Cheerio<never>) => string | undefined,
    dated: (element: Cheerio.Cheerio<never>) => string | undefined,
  ) => {
    const found: DiscoveredUrl[] = [];
    $(selector).each((_, node) => {
      const element = $(node) as Cheerio.Cheerio<never>;
      const url = absolute(locate(element), baseUrl);
      if (url) found.push({ url, lastModified: date(dated(element)) });
    });
    return found;
  };
  if ($('sitemapindex').length) {
    return {
      kind: 'sitemap-index',
      sitemaps: collect(
        'sitemapindex > sitemap',
        (e) => e.find('loc').first().text(),
        (e) => e.find('lastmod').first().text(),
      ),
    };
  }
  if ($('urlset').length) {
    return {
      kind: 'sitemap',
      urls: collect(
        'urlset > url',
        (e) => e.find('loc').first().text(),
        (e) => e.find('lastmod').first().text(),
      ),
    };
  }
  if ($('rss, rdf\\:RDF').length) {
    return {
      kind: 'feed',
      urls: collect(
        'item',
        (e) => e.find('link').first().text() || e.find('guid[isPermaLink!="false"]').first().text(),
        (e) => e.find('pubDate').first().text() || e.find('dc\\:date').first().text(),
      ),
    };
  }
  if ($('feed').length) {
    return {
      kind: 'feed',
      urls: collect(
        'feed > entry',
        (e) => e.find('link[rel="alternate"]').attr('href') ?? e.find('link').first().attr('href'),
        (e) => e.find('updated').first().text() || e.find('published').first().text(),
      ),
    };
  }
  return undefined;
}
