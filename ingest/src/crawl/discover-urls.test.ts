import { describe, expect, it } from 'vitest';
import { parseDiscoveryDocument } from './discover-urls.js';

describe('parseDiscoveryDocument', () => {
  it('reads a sitemap index and a urlset with their dates', () => {
    const index = parseDiscoveryDocument(
      '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://a.test/posts.xml</loc><lastmod>2024-01-02</lastmod></sitemap></sitemapindex>',
      'https://a.test/sitemap.xml',
    );
    expect(index).toEqual({ kind: 'sitemap-index', sitemaps: [{ url: 'https://a.test/posts.xml', lastModified: new Date('2024-01-02') }] });
    const urlset = parseDiscoveryDocument(
      '<urlset><url><loc>/posts/a/</loc></url><url><loc>https://a.test/posts/b/</loc><lastmod>bad</lastmod></url></urlset>',
      'https://a.test/sitemap.xml',
    );
    expect(urlset).toEqual({
      kind: 'sitemap',
      urls: [
        { url: 'https://a.test/posts/a/', lastModified: null },
        { url: 'https://a.test/posts/b/', lastModified: null },
      ],
    });
  });

  it('reads RSS and Atom feeds', () => {
    const rss = parseDiscoveryDocument(
      '<rss version="2.0"><channel><item><title>A</title><link>https://a.test/posts/a/</link><pubDate>Mon, 01 May 2023 00:00:00 +0000</pubDate></item></channel></rss>',
      'https://a.test/index.xml',
    );
    expect(rss).toEqual({ kind: 'feed', urls: [{ url: 'https://a.test/posts/a/', lastModified: new Date('2023-05-01T00:00:00Z') }] });
    const atom = parseDiscoveryDocument(
      '<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://b.test/blog/x/"/><updated>2022-03-04T05:06:07Z</updated></entry></feed>',
      'https://b.test/feed.xml',
    );
    expect(atom).toEqual({ kind: 'feed', urls: [{ url: 'https://b.test/blog/x/', lastModified: new Date('2022-03-04T05:06:07Z') }] });
  });

  it('ignores other documents and non-http links', () => {
    expect(parseDiscoveryDocument('<html><body>hi</body></html>', 'https://a.test/')).toBeUndefined();
    expect(parseDiscoveryDocument('<urlset><url><loc>javascript:alert(1)</loc></url></urlset>', 'https://a.test/')).toEqual({
      kind: 'sitemap',
      urls: [],
    });
  });
});
