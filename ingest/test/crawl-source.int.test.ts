import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbedder, type Embedder } from '@cairn/embed';
import { hnswIndexName, Store, type SourceInput, type SourceRecord, type VectorIndexing } from '@cairn/store';
import { startFixtureSite, testRuntimes, type FixtureSite, type FixtureSiteOptions, type TestRuntime } from '@cairn/testing';
import { queryTerms } from '@cairn/text';
import { createCrawler, runCrawl, type Crawler } from '../src/index.js';

class CountingEmbedder extends LocalHashEmbedder implements Embedder {
  calls = 0;
  override async embedDocuments(texts: readonly string[]): Promise<number[][]> {
    this.calls += 1;
    return super.embedDocuments(texts);
  }
}

/** A fixture site on loopback, a crawler for it and a store with one source of it; `close` undoes all. */
async function openCrawlFixture(
  runtime: TestRuntime,
  options: {
    site?: FixtureSiteOptions;
    maxCrawlDelayMs: number;
    vectorIndexing?: VectorIndexing;
    source: (siteUrl: string) => Omit<SourceInput, 'kind'>;
  },
): Promise<{ site: FixtureSite; crawler: Crawler; store: Store; source: SourceRecord; close(): Promise<void> }> {
  const site = await startFixtureSite(options.site);
  const crawler = createCrawler({
    allowance: ['127.0.0.1'],
    contact: 'https://cairn.invalid/tests',
    maxCrawlDelayMs: options.maxCrawlDelayMs,
  });
  const created = await runtime.create();
  const store = await Store.open({ databaseUrl: created.databaseUrl, vectorIndexing: options.vectorIndexing });
  const source = await store.sources.upsert({ kind: 'web', crawlDelayMs: 0, ...options.source(site.url) });
  return {
    site,
    crawler,
    store,
    source,
    async close() {
      await crawler.close();
      await site.close();
      await store.close();
      await created.drop();
    },
  };
}

describe.each(testRuntimes)('crawling the fixture site on $name', (runtime) => {
  let site: FixtureSite;
  let crawler: Crawler;
  let store: Store;
  let source: SourceRecord;
  let close: (() => Promise<void>) | undefined;
  const embedder = new CountingEmbedder();
  const crawl = () => runCrawl({ store, embedder, ...crawler }, { sources: [source], trigger: 'cli' });

  beforeAll(async () => {
    ({ site, crawler, store, source, close } = await openCrawlFixture(runtime, {
      maxCrawlDelayMs: 20,
      // The private page is a seed, so that robots.txt (Disallow: /private/) is what keeps it out.
      source: (url) => ({
        name: 'fixture',
        baseUrl: `${url}/`,
        seeds: [`${url}/sitemap.xml`, `${url}/index.xml`, `${url}/private/secret/`],
      }),
    }));
  }, 60_000);

  afterAll(async () => close?.());

  it('discovers and ingests the site politely: robots.txt obeyed, one User-Agent, canonical URLs', async () => {
    const result = await crawl();
    expect(result.complete).toBe(true);
    const run = await store.runs.find(result.runId);
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(result.counts.fetched).toBeGreaterThanOrEqual(10);
    expect(result.counts.failed).toBe(0);
    expect(site.requests.some((request) => request.path.startsWith('/private/'))).toBe(false);
    expect(new Set(site.requests.map((request) => request.headers['user-agent']))).toEqual(
      new Set(['CairnBot/0.1 (+https://cairn.invalid/tests)']),
    );
    const items = await store.runs.items(result.runId);
    expect(items.find((item) => item.url.includes('/private/'))).toMatchObject({
      outcome: 'skipped',
      error: expect.stringMatching(/robots\.txt/),
    });
    const locators = await store.documents.locatorsOfSource('fixture');
    expect([...locators.values()]).toContain(`${site.url}/posts/managing-technical-debt/`);
    expect([...locators.values()].every((locator) => !locator.includes('utm_') && !locator.includes('#'))).toBe(true);

    const [hit] = await store.search.keyword(queryTerms('feedback'), { limit: 1, filters: { sources: ['fixture'] } });
    expect(hit!.url).toMatch(new RegExp(`^${site.url}/`));
    expect(hit!.anchor).toBeTruthy();
  });

  it('keeps hidden text and scripts out of the index', async () => {
    const hits = await store.search.keyword(queryTerms('ignore previous instructions'), { limit: 20, filters: { sources: ['fixture'] } });
    for (const hit of hits) expect(hit.text.toLowerCase()).not.toContain('ignore previous instructions');
  });

  it('re-crawls an unchanged site with conditional GETs and no embedding calls', async () => {
    const before = await store.documents.countActive();
    const calls = embedder.calls;
    const requestsBefore = site.requests.length;
    const startedAt = (await store.database.query<{ now: Date }>('select now() as now'))[0]!.now;
    const result = await crawl();
    expect(embedder.calls).toBe(calls);
    expect(result.counts).toMatchObject({ chunksAdded: 0, chunksRemoved: 0 });
    // Every page in the index is revalidated (304), its stored links followed again; the one
    // read whole is a link that redirects to a stored page (it has no validators of its own),
    // and it is unchanged, as on the first crawl.
    const readWhole = (await store.runs.items(result.runId)).filter((item) => item.httpStatus === 200);
    expect(readWhole.map((item) => [new URL(item.url).pathname, item.outcome])).toEqual([['/old/moved-post', 'unchanged']]);
    expect(result.counts.unchanged).toBeGreaterThanOrEqual(10);
    expect(
      site.requests.slice(requestsBefore).filter((request) => request.path.startsWith('/posts/') && request.status === 304).length,
    ).toBeGreaterThanOrEqual(6);
    expect(await store.documents.countActive()).toEqual(before);
    // The pages the server called unchanged are recorded as seen now (fresh `fetched_at`).
    const refreshed = (
      await store.database.query<{ count: number }>(
        `select count(*)::int as count from documents where source_id = $1 and status = 'active' and fetched_at >= $2`,
        [source.id, startedAt],
      )
    )[0]!.count;
    expect(refreshed).toBe(before.documents);
  });

  it('re-ingests a changed page and tombstones a page that is gone', async () => {
    const changedPath = '/posts/sizing-engineering-teams/';
    const original = await (await fetch(`${site.url}${changedPath}`)).text();
    site.setPage(changedPath, original.replace('</h2>', '</h2><p>Zeppelin teams of exactly seven engineers rotate the pager weekly.</p>'));
    site.removePage('/blog/running-one-on-ones/', 410);
    const result = await crawl();
    const items = await store.runs.items(result.runId);
    expect(items.find((item) => item.url.endsWith(changedPath))).toMatchObject({ outcome: 'changed', httpStatus: 200 });
    expect(items.find((item) => item.url.endsWith('/blog/running-one-on-ones/'))).toMatchObject({ outcome: 'tombstoned' });
    const [hit] = await store.search.keyword(queryTerms('zeppelin pager'), { limit: 1 });
    expect(hit!.url.startsWith(`${site.url}${changedPath}`)).toBe(true);
    const gone = await store.search.keyword(queryTerms('one-on-ones'), { limit: 50, filters: { sources: ['fixture'] } });
    expect(gone.filter((entry) => entry.url.includes('/blog/running-one-on-ones/'))).toEqual([]);
  });

  it('brings back a vanished page that returns unchanged: no conditional GET for a tombstoned copy', async () => {
    const path = '/posts/managing-technical-debt/';
    const locator = `${site.url}${path}`;
    const html = await (await fetch(locator)).text();
    site.removePage(path, 404);
    await crawl();
    expect((await store.documents.findState(source.id, locator))?.status).toBe('tombstoned');
    const requestsBefore = site.requests.length;
    site.setPage(path, html);
    const result = await crawl();
    const request = site.requests.slice(requestsBefore).find((entry) => entry.path === path);
    expect(request?.headers['if-none-match']).toBeUndefined();
    expect(request?.headers['if-modified-since']).toBeUndefined();
    expect((await store.runs.items(result.runId)).find((item) => item.url === locator)).toMatchObject({
      outcome: 'changed',
      httpStatus: 200,
    });
    expect((await store.documents.findState(source.id, locator))?.status).toBe('active');
    const hits = await store.search.keyword(queryTerms('technical debt'), { limit: 50, filters: { sources: ['fixture'] } });
    expect(hits.some((hit) => hit.url.startsWith(locator))).toBe(true);
  });
});

describe.each(testRuntimes)('vectors kept out of the HNSW index during a crawl on $name', (runtime) => {
  let crawler: Crawler;
  let store: Store;
  let source: SourceRecord;
  let close: (() => Promise<void>) | undefined;
  const embedder = new LocalHashEmbedder();

  beforeAll(async () => {
    ({ crawler, store, source, close } = await openCrawlFixture(runtime, {
      site: { syntheticPages: 30 },
      maxCrawlDelayMs: 0,
      // Deferred on both runtimes (the default on both).
      vectorIndexing: 'deferred',
      source: (url) => ({ name: 'bench', baseUrl: `${url}/bench/`, seeds: [`${url}/sitemap-bench.xml`] }),
    }));
  }, 60_000);

  afterAll(async () => close?.());

  it('indexes a run’s vectors when it ends; a run cut short leaves them searchable, for the next run to index', async () => {
    const controller = new AbortController();
    let recorded = 0;
    const cut = await runCrawl(
      { store, embedder, ...crawler },
      {
        sources: [source],
        signal: controller.signal,
        onProgress: (progress) => {
          recorded = progress.done;
          if (progress.done === 8) controller.abort();
        },
      },
    );
    expect((await store.runs.find(cut.runId))?.status).toBe('cancelled');
    // The ledger (written in batches) holds every page recorded, those that finished after the abort included.
    expect(recorded).toBeGreaterThanOrEqual(8);
    expect(await store.runs.items(cut.runId)).toHaveLength(recorded);
    const waiting = (await store.embeddings.countUnindexed()).get(embedder.model) ?? 0;
    expect(waiting).toBeGreaterThan(0);
    // Out of the index: server Postgres keeps them in the unindexed table; PGlite wrote these
    // first vectors of the model straight into `embeddings` and dropped its index (VectorTargets).
    const [tables] = await store.database.query<{ indexed: number; index: boolean }>(
      `select (select count(*)::int from embeddings) as indexed, to_regclass($1) is not null as index`,
      [hnswIndexName(embedder.model)],
    );
    expect(tables).toEqual(runtime.name === 'pglite' ? { indexed: waiting, index: false } : { indexed: 0, index: true });
    // Nothing is in the index yet, so these hits come from an exact scan of the vectors waiting outside it.
    const model = { id: embedder.model, dimensions: embedder.dimensions };
    const hits = await store.search.dense(model, await embedder.embedQuery('engineering strategy'), { limit: 5 });
    expect(hits).toHaveLength(5);

    const finished = await runCrawl({ store, embedder, ...crawler }, { sources: [source] });
    expect((await store.runs.find(finished.runId))?.status).toBe('succeeded');
    expect(await store.embeddings.countUnindexed()).toEqual(new Map());
    const total = (await store.database.query<{ total: number }>('select count(distinct content_hash)::int as total from chunks'))[0]!
      .total;
    const stored = (await store.database.query<{ stored: number }>('select count(*)::int as stored from embeddings'))[0]!.stored;
    expect(stored).toBe(total);
    const [index] = await store.database.query<{ indexdef: string }>('select indexdef from pg_indexes where indexname = $1', [
      hnswIndexName(embedder.model),
    ]);
    expect(index?.indexdef).toMatch(/USING hnsw/);
    expect((await store.documents.countActive()).documents).toBe(30);
    // Through the index now, over more pages: the best match can only be as close or closer.
    const after = await store.search.dense(model, await embedder.embedQuery('engineering strategy'), { limit: 5 });
    expect(after).toHaveLength(5);
    expect(after[0]!.score).toBeGreaterThanOrEqual(hits[0]!.score - 1e-6);
  });

  it('keeps the ledger of every page recorded when the store fails in the middle of a crawl', async () => {
    const other = await store.sources.upsert({
      name: 'bench-again',
      kind: 'web',
      baseUrl: source.baseUrl,
      seeds: source.seeds,
      crawlDelayMs: 0,
    });
    let calls = 0;
    const documents: Store['documents'] = Object.create(store.documents);
    documents.replace = async (...args) => {
      calls += 1;
      if (calls === 12) throw new Error('disk full');
      return store.documents.replace(...args);
    };
    const failing: Store = Object.create(store);
    Object.defineProperty(failing, 'documents', { value: documents });
    let recorded = 0;
    await expect(
      runCrawl({ store: failing, embedder, ...crawler }, { sources: [other], onProgress: (progress) => (recorded = progress.done) }),
    ).rejects.toThrow('disk full');
    const [run] = await store.runs.list(1);
    expect(run).toMatchObject({ sourceId: other.id, status: 'failed', error: 'disk full' });
    // Fewer than the 20 a batch holds: nothing had been written before the failure.
    expect(recorded).toBeGreaterThanOrEqual(11);
    expect(recorded).toBeLessThan(20);
    expect(await store.runs.items(run!.id)).toHaveLength(recorded);
  });
});

describe.each(testRuntimes)('a polite crawl stopped while it waits for its turn on $name', (runtime) => {
  it('stops at once, mid-delay, recorded cancelled with the reason and no page failed for it', async () => {
    const fixture = await openCrawlFixture(runtime, {
      maxCrawlDelayMs: 0,
      // Half a minute between two requests to the host, as a source may ask (up to a minute).
      source: (url) => ({ name: 'slow', baseUrl: `${url}/`, seeds: [`${url}/sitemap.xml`], crawlDelayMs: 30_000 }),
    });
    try {
      const stop = new AbortController();
      const started = Date.now();
      setTimeout(() => stop.abort('stopped by SIGTERM (a test)'), 1_000);
      const result = await runCrawl(
        { store: fixture.store, embedder: new LocalHashEmbedder(), ...fixture.crawler },
        { sources: [fixture.source], signal: stop.signal },
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      const run = await fixture.store.runs.find(result.runId);
      expect(run).toMatchObject({ status: 'cancelled', error: 'stopped by SIGTERM (a test)' });
      const items = await fixture.store.runs.items(result.runId);
      expect(items.filter((item) => item.error?.endsWith(': cancelled'))).toEqual([]);
    } finally {
      await fixture.close();
    }
  }, 60_000);
});

describe.each(testRuntimes)('a site with no sitemap on $name', (runtime) => {
  it('notes the missing /sitemap.xml it guessed without failing the run, so a page no longer linked leaves search', async () => {
    const page = (title: string, body: string) =>
      `<!doctype html><html><head><title>${title}</title></head><body><main><article><h1>${title}</h1>${body}</article></main></body></html>`;
    const prose = (topic: string) =>
      `<p>${`Notes on ${topic}: how the team shares the pager, reviews incidents and keeps the rotation fair across time zones. `.repeat(6)}</p>`;
    const links = (names: string[]) => names.map((name) => `<p><a href="/nositemap/${name}/">${name}</a></p>`).join('');
    const fixture = await openCrawlFixture(runtime, {
      maxCrawlDelayMs: 0,
      source: (siteUrl) => ({ name: 'nositemap', baseUrl: `${siteUrl}/nositemap/`, seeds: [] }),
    });
    try {
      const { site, crawler, store, source } = fixture;
      site.setPage('/nositemap/', page('Index', `${prose('the index')}${links(['a', 'b', 'c'])}`));
      for (const name of ['a', 'b', 'c']) site.setPage(`/nositemap/${name}/`, page(`Page ${name}`, prose(`page ${name}`)));
      const crawl = () => runCrawl({ store, embedder: new LocalHashEmbedder(), ...crawler }, { sources: [source], trigger: 'cli' });
      const first = await crawl();
      expect(first.counts.failed).toBe(0);
      const guess = (await store.runs.items(first.runId)).find((item) => item.url.endsWith('/nositemap/sitemap.xml'));
      expect(guess).toMatchObject({ outcome: 'skipped', httpStatus: 404, error: expect.stringMatching(/no sitemap here/) });
      const locator = `${site.url}/nositemap/c/`;
      expect((await store.documents.findState(source.id, locator))?.status).toBe('active');
      // /nositemap/c/ is still served, but nothing links to it any more.
      site.setPage('/nositemap/', page('Index', `${prose('the index')}${links(['a', 'b'])}`));
      const second = await crawl();
      expect(second.counts.failed).toBe(0);
      expect((await store.documents.findState(source.id, locator))?.status).toBe('tombstoned');
    } finally {
      await fixture.close();
    }
  }, 60_000);
});

describe.each(testRuntimes)('a copy whose canonical link names another page on $name', (runtime) => {
  it("reads the page it names instead of storing the copy's text under the page's URL", async () => {
    const page = (title: string, canonical: string, body: string, links = '') =>
      `<!doctype html><html><head><title>${title}</title><link rel="canonical" href="${canonical}"></head><body><main><article><h1>${title}</h1><p>${body.repeat(6)}</p>${links}</article></main></body></html>`;
    const fixture = await openCrawlFixture(runtime, {
      maxCrawlDelayMs: 0,
      source: (siteUrl) => ({ name: 'copies', baseUrl: `${siteUrl}/copies/`, seeds: [`${siteUrl}/copies/`] }),
    });
    try {
      const { site, crawler, store, source } = fixture;
      const post = `${site.url}/copies/post/`;
      site.setPage(
        '/copies/',
        page(
          'Index',
          `${site.url}/copies/`,
          'An index of posts about running incident reviews. ',
          '<a href="/copies/post/?page=2">page two</a>',
        ),
      );
      // Only the second page is linked; it names the post as its canonical page.
      site.setPage('/copies/post/?page=2', page('Second page', post, 'Zeppelin rotations continue on the second page. '));
      site.setPage('/copies/post/', page('The post', post, 'Blameless incident reviews start from the timeline. '));
      const result = await runCrawl({ store, embedder: new LocalHashEmbedder(), ...crawler }, { sources: [source], trigger: 'cli' });
      const items = await store.runs.items(result.runId);
      expect(items.find((item) => item.url.includes('page=2'))).toMatchObject({
        outcome: 'skipped',
        error: expect.stringMatching(/^a copy of .*\/copies\/post\/ \(its canonical link\)/),
      });
      const stored = await store.database.query<{ title: string }>(
        `select d.title from documents d where d.source_id = $1 and d.locator = $2 and d.status = 'active'`,
        [source.id, post],
      );
      expect(stored).toEqual([{ title: 'The post' }]);
      expect(await store.search.keyword(queryTerms('zeppelin rotations'), { limit: 5, filters: { sources: ['copies'] } })).toEqual([]);
    } finally {
      await fixture.close();
    }
  }, 60_000);

  it('keeps a page under its own URL when the page it names cannot be read, or names it back (probe 34, M1)', async () => {
    const page = (title: string, canonical: string | null, body: string, links = '') =>
      `<!doctype html><html><head><title>${title}</title>${canonical ? `<link rel="canonical" href="${canonical}">` : ''}</head><body><main><article><h1>${title}</h1><p>${body.repeat(6)}</p>${links}</article></main></body></html>`;
    const fixture = await openCrawlFixture(runtime, {
      maxCrawlDelayMs: 0,
      source: (siteUrl) => ({ name: 'orphans', baseUrl: `${siteUrl}/orphans/`, seeds: [`${siteUrl}/orphans/`] }),
    });
    try {
      const { site, crawler, store, source } = fixture;
      const at = (path: string) => `${site.url}/orphans/${path}`;
      site.setPage(
        '/orphans/',
        page(
          'Index',
          null,
          'An index of posts about pager load. ',
          '<a href="/orphans/a/">a</a> <a href="/orphans/b/">b</a> <a href="/orphans/c/">c</a>',
        ),
      );
      site.setPage('/orphans/a/', page('Post A', null, 'Albatross rotations keep the pager fair. '));
      site.setPage('/orphans/b/', page('Post B', null, 'Bittern escalations go to the secondary. '));
      site.setPage('/orphans/c/', page('Post C', null, 'Cormorant handoffs happen on Mondays. '));
      const crawl = () => runCrawl({ store, embedder: new LocalHashEmbedder(), ...crawler }, { sources: [source], trigger: 'cli' });
      expect((await crawl()).counts.failed).toBe(0);
      // A now names a page that answers 404; B and C name each other.
      site.setPage('/orphans/a/', page('Post A', at('gone/'), 'Albatross rotations keep the pager fair, revised. '));
      site.setPage('/orphans/b/', page('Post B', at('c/'), 'Bittern escalations go to the secondary. '));
      site.setPage('/orphans/c/', page('Post C', at('b/'), 'Cormorant handoffs happen on Mondays. '));
      const second = await crawl();
      expect(second.counts.failed).toBe(0);
      const active = await store.database.query<{ locator: string; title: string }>(
        `select locator, title from documents where source_id = $1 and status = 'active' order by locator`,
        [source.id],
      );
      expect(active.map((row) => row.locator)).toEqual([at(''), at('a/'), at('b/'), at('c/')]);
      for (const words of ['albatross revised', 'bittern escalations', 'cormorant handoffs'])
        expect(await store.search.keyword(queryTerms(words), { limit: 5, filters: { sources: ['orphans'] } }), words).not.toEqual([]);
      expect((await store.runs.items(second.runId)).filter((item) => item.outcome === 'tombstoned')).toEqual([]);
    } finally {
      await fixture.close();
    }
  }, 60_000);
});

describe.each(testRuntimes)('a server that answers 304 to a page never stored, on $name', (runtime) => {
  it('records the page failed, not unchanged: nothing of it is searchable', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((request, response) => {
      if (request.url === '/robots.txt') return void response.writeHead(404).end();
      if (request.url === '/notmodified/a/') return void response.writeHead(304).end();
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(
        `<!doctype html><html><head><title>Index</title></head><body><main><article><h1>Index</h1><p>${'Notes on pager load and rotations. '.repeat(8)}</p><a href="/notmodified/a/">a</a></article></main></body></html>`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const fixture = await openCrawlFixture(runtime, {
      maxCrawlDelayMs: 0,
      source: () => ({ name: 'notmodified', baseUrl: `${origin}/notmodified/`, seeds: [`${origin}/notmodified/`] }),
    });
    try {
      const { crawler, store, source } = fixture;
      const result = await runCrawl({ store, embedder: new LocalHashEmbedder(), ...crawler }, { sources: [source], trigger: 'cli' });
      const item = (await store.runs.items(result.runId)).find((entry) => entry.url.endsWith('/notmodified/a/'));
      expect(item).toMatchObject({ outcome: 'failed', httpStatus: 304, error: expect.stringMatching(/without validators/) });
      expect(result.counts.unchanged).toBe(0);
    } finally {
      await fixture.close();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);
});

describe.each(testRuntimes)('a gzipped sitemap on $name', (runtime) => {
  it('unpacks a sitemap.xml.gz to find the pages only it lists, and stops a gzip bomb at the size cap', async () => {
    const { createServer } = await import('node:http');
    const { gzipSync } = await import('node:zlib');
    let origin = '';
    const page = (title: string) =>
      `<!doctype html><html><head><title>${title}</title></head><body><main><article><h1>${title}</h1><p>${'Notes on pager load and rotations. '.repeat(8)}</p></article></main></body></html>`;
    const server = createServer((request, response) => {
      if (request.url === '/robots.txt') return void response.writeHead(404).end();
      if (request.url === '/gz/sitemap.xml.gz') {
        const xml = `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${origin}/gz/only-in-the-sitemap/</loc></url></urlset>`;
        return void response.writeHead(200, { 'content-type': 'application/x-gzip' }).end(gzipSync(xml));
      }
      if (request.url === '/gz/bomb.xml.gz')
        return void response.writeHead(200, { 'content-type': 'application/gzip' }).end(gzipSync(Buffer.alloc(12 * 1024 * 1024, 0x20)));
      if (request.url === '/gz/only-in-the-sitemap/')
        return void response.writeHead(200, { 'content-type': 'text/html' }).end(page('Only in the sitemap'));
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const fixture = await openCrawlFixture(runtime, {
      maxCrawlDelayMs: 0,
      source: () => ({ name: 'gzipped', baseUrl: `${origin}/gz/`, seeds: [`${origin}/gz/sitemap.xml.gz`, `${origin}/gz/bomb.xml.gz`] }),
    });
    try {
      const { crawler, store, source } = fixture;
      const result = await runCrawl({ store, embedder: new LocalHashEmbedder(), ...crawler }, { sources: [source], trigger: 'cli' });
      const items = await store.runs.items(result.runId);
      expect(items.find((item) => item.url.endsWith('/gz/only-in-the-sitemap/'))).toMatchObject({ outcome: 'changed', httpStatus: 200 });
      expect(items.find((item) => item.url.endsWith('/gz/bomb.xml.gz'))).toMatchObject({
        outcome: 'failed',
        error: expect.stringMatching(/unpacks to more than/),
      });
    } finally {
      await fixture.close();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);
});

describe.each(testRuntimes)('a source whose own patterns leave out its start page, on $name', (runtime) => {
  it('says so in the ledger and tombstones nothing: a crawl that found no page is not complete (probe 33 H2)', async () => {
    const page = (title: string, body: string) =>
      `<!doctype html><html><head><title>${title}</title></head><body><main><article><h1>${title}</h1>${body}</article></main></body></html>`;
    const prose = (topic: string) =>
      `<p>${`Notes on ${topic}: how the team shares the pager, reviews incidents and keeps the rotation fair across time zones. `.repeat(6)}</p>`;
    const fixture = await openCrawlFixture(runtime, {
      maxCrawlDelayMs: 0,
      source: (siteUrl) => ({ name: 'leftout', baseUrl: `${siteUrl}/leftout/`, seeds: [`${siteUrl}/leftout/`] }),
    });
    try {
      const { site, crawler, store } = fixture;
      let { source } = fixture;
      site.setPage('/leftout/', page('Index', `${prose('the index')}<p><a href="/leftout/a/">a</a></p>`));
      site.setPage('/leftout/a/', page('Page a', prose('page a')));
      const crawl = () => runCrawl({ store, embedder: new LocalHashEmbedder(), ...crawler }, { sources: [source], trigger: 'cli' });
      const first = await crawl();
      expect(first.counts.fetched).toBe(2);
      const locator = `${site.url}/leftout/a/`;
      expect((await store.documents.findState(source.id, locator))?.status).toBe('active');
      // An exclude pattern that catches the start page (matched with its trailing slash).
      source = await store.sources.upsert({ ...source, exclude: ['/leftout/$'] });
      const second = await crawl();
      expect(second.counts.fetched).toBe(0);
      const items = await store.runs.items(second.runId);
      expect(items.find((item) => item.url.endsWith('/leftout/'))).toMatchObject({
        outcome: 'skipped',
        error: expect.stringMatching(/outside the source's include\/exclude patterns \(matched as .*\/leftout\/\)/),
      });
      expect(items.filter((item) => item.outcome === 'tombstoned')).toEqual([]);
      expect((await store.documents.findState(source.id, locator))?.status).toBe('active');
    } finally {
      await fixture.close();
    }
  }, 60_000);
});

describe.each(testRuntimes)('a site whose every page fails, on $name', (runtime) => {
  it('ends the run failed, saying so, where it ended succeeded with nothing fetched (probe 33 L9)', async () => {
    const fixture = await openCrawlFixture(runtime, {
      maxCrawlDelayMs: 0,
      source: (siteUrl) => ({ name: 'outage', baseUrl: `${siteUrl}/error/`, seeds: [`${siteUrl}/error/`] }),
    });
    try {
      const { crawler, store, source } = fixture;
      const result = await runCrawl({ store, embedder: new LocalHashEmbedder(), ...crawler }, { sources: [source], trigger: 'cli' });
      expect(result.counts).toMatchObject({ fetched: 0, failed: 1 });
      expect(result.status).toBe('failed');
      expect(result.error).toMatch(/every page failed and nothing was fetched/);
      expect((await store.runs.find(result.runId))?.status).toBe('failed');
    } finally {
      await fixture.close();
    }
  }, 60_000);
});
