import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbedder } from '@cairn/embed';
import { Store } from '@cairn/store';
import { testRuntimes } from '@cairn/testing';
import { queryTerms } from '@cairn/text';
import { ingestDirectory } from '../src/index.js';
import { maxLocalFileBytes } from '../src/pipeline/read-local-file.js';
import { publicSite, staffengListing, staffengPage } from './staffeng-pages.js';

/** A Hugo build of https://staffeng.example/: pretty URLs, canonical links, a listing home page. */
const build: Record<string, string> = {
  'index.html': staffengListing([`${publicSite}guides/staff-archetypes/`, `${publicSite}guides/writing-strategy/`]),
  'guides/staff-archetypes/index.html': staffengPage({
    title: 'Staff archetypes',
    canonical: `${publicSite}guides/staff-archetypes/`,
    topic: 'Archetypes',
  }),
  // No canonical link: the page is its file's URL.
  'guides/writing-strategy/index.html': staffengPage({ title: 'Writing strategy', canonical: null, topic: 'Strategy' }),
  'about.html': staffengPage({ title: 'About StaffEng', canonical: `${publicSite}about.html`, topic: 'The project' }),
  // A page that says it belongs to another site.
  'syndicated/index.html': staffengPage({ title: 'Syndicated', canonical: 'https://elsewhere.example/post/', topic: 'Syndication' }),
  'css/site.css': 'body { color: black; }',
};

describe.each(testRuntimes)('ingesting a built static site on $name', (runtime) => {
  let store: Store;
  let drop: () => Promise<void>;
  let directory: string;
  const embedder = new LocalHashEmbedder();
  const ingest = () => ingestDirectory(store, embedder, { directory, baseUrl: 'https://staffeng.example', sourceName: 'staffeng-build' });
  const activeDocuments = () =>
    store.database.query<{ locator: string; url: string; kind: string }>(
      `select d.locator, d.url, d.kind from documents d join sources s on s.id = d.source_id
       where s.name = 'staffeng-build' and d.status = 'active' order by d.locator`,
    );

  beforeAll(async () => {
    const created = await runtime.create();
    drop = created.drop;
    store = await Store.open({ databaseUrl: created.databaseUrl });
    directory = await mkdtemp(join(tmpdir(), 'cairn-site-'));
    for (const [path, content] of Object.entries(build)) {
      await mkdir(dirname(join(directory, path)), { recursive: true });
      await writeFile(join(directory, path), content);
    }
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await drop?.();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('stores each page under its public URL, read as an article, and skips what is not one', async () => {
    const result = await ingest();
    expect(result.counts).toMatchObject({ discovered: 5, fetched: 5, skipped: 2, failed: 0, unchanged: 0 });
    expect(await activeDocuments()).toEqual([
      { locator: `${publicSite}about.html`, url: `${publicSite}about.html`, kind: 'article' },
      { locator: `${publicSite}guides/staff-archetypes/`, url: `${publicSite}guides/staff-archetypes/`, kind: 'article' },
      { locator: `${publicSite}guides/writing-strategy/`, url: `${publicSite}guides/writing-strategy/`, kind: 'article' },
    ]);
    const items = await store.runs.items(result.runId);
    expect(items.find((item) => item.url === publicSite)).toMatchObject({
      outcome: 'skipped',
      error: expect.stringMatching(/^not an article/),
    });
    expect(items.find((item) => item.url === `${publicSite}syndicated/`)).toMatchObject({
      outcome: 'skipped',
      error: 'canonical URL https://elsewhere.example/post/ is out of scope',
    });
    expect(await store.sources.findByName('staffeng-build')).toMatchObject({ kind: 'directory', publicBaseUrl: publicSite });
    const [hit] = await store.search.keyword(queryTerms('archetypes in practice'), { limit: 1, filters: { sources: ['staffeng-build'] } });
    expect(hit).toMatchObject({ url: `${publicSite}guides/staff-archetypes/`, kind: 'article', anchor: 'in-practice' });
  });

  it('skips a file larger than a web page may be, naming the limit, and stores the pages beside it', async () => {
    const site = await mkdtemp(join(tmpdir(), 'cairn-big-site-'));
    try {
      const page = staffengPage({ title: 'Staff archetypes', canonical: `${publicSite}guides/staff-archetypes/`, topic: 'Archetypes' });
      await writeFile(join(site, 'big.html'), page.replace('</body>', `<p>${'padding '.repeat(maxLocalFileBytes / 8)}</p></body>`));
      await writeFile(join(site, 'small.html'), page);
      const result = await ingestDirectory(store, embedder, {
        directory: site,
        baseUrl: 'https://staffeng.example',
        sourceName: 'big-site',
      });
      expect(result.counts).toMatchObject({ discovered: 2, skipped: 1, failed: 0 });
      const items = await store.runs.items(result.runId);
      expect(items.find((item) => item.url === `${publicSite}big.html`)).toMatchObject({
        outcome: 'skipped',
        error: `larger than ${maxLocalFileBytes} bytes`,
      });
      expect(items.find((item) => item.url === `${publicSite}small.html`)).toMatchObject({ outcome: 'changed' });
    } finally {
      await rm(site, { recursive: true, force: true });
    }
  });

  it('changes nothing on a re-run, and tombstones the page of a deleted file', async () => {
    const again = await ingest();
    expect(again.counts).toMatchObject({ unchanged: 3, chunksAdded: 0, chunksRemoved: 0, failed: 0 });

    await unlink(join(directory, 'about.html'));
    const result = await ingest();
    expect(result.counts).toMatchObject({ discovered: 4, unchanged: 2, chunksAdded: 0 });
    expect(result.counts.chunksRemoved).toBeGreaterThan(0);
    expect((await activeDocuments()).map((document) => document.locator)).toEqual([
      `${publicSite}guides/staff-archetypes/`,
      `${publicSite}guides/writing-strategy/`,
    ]);
    const items = await store.runs.items(result.runId);
    expect(items.find((item) => item.outcome === 'tombstoned')).toMatchObject({ url: `${publicSite}about.html` });
  });
});
