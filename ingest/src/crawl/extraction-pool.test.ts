import { afterAll, describe, expect, it } from 'vitest';
import { ExtractionError } from '../extract/extraction-error.js';
import { ExtractionPool, inThreadReader } from './extraction-pool.js';

const article = (words: number) =>
  `<!DOCTYPE html><html lang="en"><head><title>Pool</title></head><body><main><article><h1>Pool</h1><p>${'Reading pages off the event loop. '.repeat(words)}</p><p><a href="/next/">next</a></p></article></main></body></html>`;
const sitemap =
  '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.com/a/</loc><lastmod>2024-05-01</lastmod></url></urlset>';

describe('ExtractionPool', () => {
  const pool = new ExtractionPool({ timeoutMs: 20_000 });
  afterAll(() => pool.close());

  it('reads articles and discovery documents in its thread, as on this one', async () => {
    const url = 'https://example.com/posts/pool/';
    expect(await pool.readArticle(article(20), url)).toEqual(await inThreadReader.readArticle(article(20), url));
    const parsed = await pool.readDiscovery(sitemap, 'https://example.com/sitemap.xml');
    expect(parsed).toEqual(await inThreadReader.readDiscovery(sitemap, 'https://example.com/sitemap.xml'));
    expect(parsed).toMatchObject({ kind: 'sitemap', urls: [{ url: 'https://example.com/a/', lastModified: new Date('2024-05-01') }] });
    expect(await pool.readDiscovery(article(5), url)).toBeUndefined();
  });

  it('rejects with ExtractionError, links and all, for a page that holds no article; with the error, for a bad call', async () => {
    const listing =
      '<html><head><title>Index</title></head><body><main><ul>' +
      Array.from({ length: 30 }, (_, index) => `<li><a href="/posts/${index}/">Post number ${index}</a></li>`).join('') +
      '</ul></main></body></html>';
    const url = 'https://example.com/posts/';
    const inThread = (await inThreadReader.readArticle(listing, url).catch((error: unknown) => error)) as ExtractionError;
    const error = await pool.readArticle(listing, url).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExtractionError);
    expect(error).toMatchObject({ code: 'page_unparseable', reason: inThread.reason, links: inThread.links });
    await expect(pool.readArticle(article(5), 'not a url')).rejects.toMatchObject({ name: 'TypeError' });
  });

  it('ends a page that takes too long (unparseable), and reads the next one in a new thread', async () => {
    const impatient = new ExtractionPool({ timeoutMs: 1 });
    try {
      const error = await impatient.readArticle(article(200_000), 'https://example.com/huge/').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ExtractionError);
      expect((error as ExtractionError).reason).toMatch(/longer than 1 ms/);
    } finally {
      await impatient.close();
    }
    // The shared pool goes on after its own runs: a new page, a new answer.
    await expect(pool.readArticle(article(20), 'https://example.com/again/')).resolves.toMatchObject({ profile: expect.any(String) });
  });

  it('rejects every call once closed', async () => {
    const closing = new ExtractionPool();
    const pending = closing.readArticle(article(20), 'https://example.com/a/').catch((error: unknown) => error);
    await closing.close();
    expect(await pending).toMatchObject({ message: expect.stringMatching(/closed/) });
    await expect(closing.readArticle(article(20), 'https://example.com/a/')).rejects.toThrow(/closed/);
  });
});
