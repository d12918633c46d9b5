import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '@cairn/embed';
import { Store } from '@cairn/store';
import { hostileRedirects, startFixtureSite, testRuntimes, type FixtureSite } from '@cairn/testing';
import { createCrawler, FetchError, runCrawl, runPage, type Crawler } from '../src/index.js';

/*
 * Redirects the crawler cannot follow (to file:, gopher:, data:, to http:// with no host,
 * to a Location that is no URL): each is one page's permanent failure, recorded in the
 * ledger with its reason, and never the end of a crawl or a run left running.
 */

const paths = Object.keys(hostileRedirects);

/** An article whose links lead to every hostile redirect and to one real post. */
function articleWithLinks(siteUrl: string): string {
  const links = [...paths, '/posts/running-incident-reviews/'].map((path) => `<li><a href="${siteUrl}${path}">${path}</a></li>`);
  const prose =
    'Pages move, and a site answers with a redirect to where they went. Most redirects lead to another page of the same site; ' +
    'some lead nowhere a crawler may follow: to a file on the server, to another protocol, to a URL with no host. ';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Where pages moved</title></head><body><main><article><h1>Where pages moved</h1><p>${prose.repeat(3)}</p><ul>${links.join('')}</ul><p>${prose.repeat(3)}</p></article></main></body></html>\n`;
}

let site: FixtureSite;
let crawler: Crawler;

beforeAll(async () => {
  site = await startFixtureSite();
  site.setPage('/hostile-links/', articleWithLinks(site.url));
  crawler = createCrawler({ allowance: ['127.0.0.1'], contact: 'https://cairn.invalid/tests', maxCrawlDelayMs: 0 });
});

afterAll(async () => {
  await crawler?.close();
  await site?.close();
});

describe('PageFetcher and a redirect it cannot follow', () => {
  it.each(paths)('%s fails permanently with bad_redirect, naming the Location, and fetches nothing more', async (path) => {
    const before = site.requests.length;
    const error = await crawler.fetcher.fetch({ url: `${site.url}${path}` }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(FetchError);
    expect(error).toMatchObject({ code: 'bad_redirect', permanent: true, url: `${site.url}${path}` });
    expect((error as Error).message).toContain(JSON.stringify(hostileRedirects[path]));
    expect(site.requests.slice(before).map((request) => request.path)).toEqual([path]);
  });

  it('refuses the hop before robots.txt is asked about it (the crawl’s own redirect check)', async () => {
    const asked: string[] = [];
    const error = await crawler.fetcher
      .fetch({ url: `${site.url}/redirect/file`, beforeRedirect: (url) => void asked.push(url) })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'bad_redirect' });
    expect(asked).toEqual([]);
  });

  it('answers robots.txt questions about any URL without throwing', async () => {
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:6379/_INFO', 'data:text/html,x', 'not a url']) {
      const rules = await crawler.robots.rulesFor(url);
      expect(rules.isAllowed(url)).toBe(false);
    }
  });
});

describe.each(testRuntimes)('crawling past hostile redirects on $name', (runtime) => {
  let store: Store;
  let drop: (() => Promise<void>) | undefined;
  const embedder = new LocalHashEmbedder();
  const dependencies = () => ({ store, embedder, ...crawler });
  const source = (name: string, seeds: string[]) =>
    store.sources.upsert({ name, kind: 'web', baseUrl: `${site.url}/`, seeds, crawlDelayMs: 0 });

  beforeAll(async () => {
    const created = await runtime.create();
    drop = created.drop;
    store = await Store.open({ databaseUrl: created.databaseUrl });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('records each as a failed entry, in discovery and among pages, and crawls every other page', async () => {
    // Before: the first such redirect threw (TypeError: Invalid URL) out of the crawl, and the run failed.
    const crawled = await source('redirects', [
      `${site.url}/redirect/file`,
      `${site.url}/redirect/not-a-url`,
      `${site.url}/hostile-links/`,
    ]);
    const result = await runCrawl(dependencies(), { sources: [crawled] });
    const run = await store.runs.find(result.runId);
    expect(run).toMatchObject({ status: 'succeeded', error: null });
    const items = await store.runs.items(result.runId);
    for (const path of paths) {
      const entry = items.find((item) => item.url === `${site.url}${path}` && !item.error?.startsWith('discovery:'));
      expect(entry, path).toMatchObject({ outcome: 'failed', httpStatus: null, error: expect.stringMatching(/redirect/) });
      expect(entry!.error).toContain(JSON.stringify(hostileRedirects[path]));
    }
    expect(items.find((item) => item.url === `${site.url}/redirect/file` && item.error?.startsWith('discovery:'))).toMatchObject({
      outcome: 'failed',
      error: expect.stringMatching(/file:/),
    });
    expect(items.find((item) => item.url === `${site.url}/posts/running-incident-reviews/`)).toMatchObject({ outcome: 'changed' });
    expect(result.counts.failed).toBe(paths.length + 2);
    expect(result.complete).toBe(true);
  });

  it.each(paths)('a one-page run of %s ends failed, with its one entry and the reason', async (path) => {
    const pageSource = (await store.sources.findByName('one-page')) ?? (await source('one-page', []));
    const { id: runId } = await store.runs.create(pageSource.id, 'api');
    const result = await runPage(dependencies(), { runId, source: pageSource, url: `${site.url}${path}`, final: true });
    expect(result).toMatchObject({ status: 'failed', permanent: true, reason: expect.stringContaining(hostileRedirects[path]!) });
    expect(await store.runs.find(runId)).toMatchObject({ status: 'failed', error: expect.stringMatching(/redirect/) });
    expect(await store.runs.items(runId)).toEqual([expect.objectContaining({ url: `${site.url}${path}`, outcome: 'failed' })]);
  });

  it('a one-page run ends whatever its crawl throws: failed on the last attempt, queued again before it', async () => {
    const pageSource = (await store.sources.findByName('one-page')) ?? (await source('one-page', []));
    const documents: Store['documents'] = Object.create(store.documents);
    documents.findState = async () => {
      throw new Error('connection reset by the database');
    };
    const failing: Store = Object.create(store);
    Object.defineProperty(failing, 'documents', { value: documents });
    const url = `${site.url}/posts/running-incident-reviews/`;

    const last = await store.runs.create(pageSource.id, 'api');
    const ended = await runPage({ ...dependencies(), store: failing }, { runId: last.id, source: pageSource, url, final: true });
    expect(ended).toMatchObject({ status: 'failed', reason: expect.stringContaining('connection reset by the database') });
    expect(await store.runs.find(last.id)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('connection reset by the database'),
    });

    const early = await store.runs.create(pageSource.id, 'api');
    const retried = await runPage({ ...dependencies(), store: failing }, { runId: early.id, source: pageSource, url, final: false });
    expect(retried).toMatchObject({ status: 'retry', reason: expect.stringContaining('connection reset by the database') });
    expect(await store.runs.find(early.id)).toMatchObject({ status: 'queued' });
  });
});
