import { escapeMarkup } from './escape-markup.js';

/** One `<url>` or `<sitemap>` entry: an absolute URL and when it last changed. */
export interface SitemapEntry {
  url: string;
  lastModified: number;
}

/** W3C datetime with an explicit offset, the way Hugo writes `<lastmod>`. */
export function sitemapDate(milliseconds: number): string {
  return new Date(milliseconds).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** A sitemap index (`<sitemapindex>`) pointing at child sitemaps. */
export function renderSitemapIndex(sitemaps: SitemapEntry[]): string {
  const entries = sitemaps
    .map(
      (sitemap) =>
        `  <sitemap>\n    <loc>${escapeMarkup(sitemap.url)}</loc>\n    <lastmod>${sitemapDate(sitemap.lastModified)}</lastmod>\n  </sitemap>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries}\n</sitemapindex>\n`;
}

/** A sitemap (`<urlset>`) of pages. */
export function renderUrlSet(pages: SitemapEntry[]): string {
  const entries = pages
    .map((page) => `  <url>\n    <loc>${escapeMarkup(page.url)}</loc>\n    <lastmod>${sitemapDate(page.lastModified)}</lastmod>\n  </url>`)
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${entries}\n</urlset>\n`;
}
