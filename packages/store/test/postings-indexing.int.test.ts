import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryTerms } from '@cairn/text';
import {
  DocumentsRepository,
  ensurePostingsTermIndex,
  PostingsIndexing,
  POSTINGS_REBUILD_SHARE,
  POSTINGS_TERM_INDEX,
  Store,
} from '../src/index.js';
import { axisVector, runtimes, testChunk, testDocument } from './runtimes.js';

const model = 'postings-indexing-v1';
const words = ['feedback', 'sponsor', 'roadmap', 'incident', 'hiring', 'strategy', 'migration', 'budget', 'review', 'coaching'];

describe.each(runtimes)("the keyword list's term index during a run on $name", (runtime) => {
  let store: Store;
  let close: () => Promise<void>;
  let sourceId: string;

  /** A page of `count` passages; returns how many postings it wrote. */
  const storePage = async (locator: string, count: number) => {
    const chunks = Array.from({ length: count }, (_, index) =>
      testChunk(index, `${words[index % words.length]} ${words[(index * 7 + locator.length) % words.length]} ${locator} note ${index}`),
    );
    await store.documents.replace(testDocument(sourceId, locator, 'postings-indexing.test'), chunks, {
      model,
      vectors: new Map(chunks.map((chunk, index) => [chunk.contentHash, axisVector(4, { [index % 4]: 1 })])),
    });
    return chunks.reduce((sum, chunk) => sum + chunk.keywords.size, 0);
  };
  const postings = async () =>
    (await store.database.query<{ count: number }>('select count(*)::int as count from keyword_postings'))[0]!.count;
  const hasIndex = async () =>
    (await store.database.query<{ present: boolean }>('select to_regclass($1) is not null as present', [POSTINGS_TERM_INDEX]))[0]!.present;
  const keywordList = async () =>
    (await store.search.keyword(queryTerms('feedback on the roadmap and hiring'), { limit: 20 })).map((hit) => hit.chunkId);

  beforeAll(async () => {
    ({ store, close } = await runtime.open());
    sourceId = (await store.sources.upsert({ name: 'postings-indexing', kind: 'web', baseUrl: 'https://postings-indexing.test/' })).id;
    await store.embeddings.registerModel(model, 4);
  }, 60_000);

  afterAll(async () => close?.());

  it('PGlite drops it once a run has written its share of the postings held, and the run’s end builds it again', async () => {
    expect(POSTINGS_REBUILD_SHARE).toBe(0.5);
    // A first run into an empty table: past its share from the first page.
    await storePage('first', 30);
    const pglite = runtime.name === 'pglite';
    expect(await hasIndex()).toBe(!pglite);
    await store.documents.refreshStatistics();
    expect(await hasIndex()).toBe(true);
    const held = await postings();

    // The next run: a page under half the postings held keeps the index up...
    const small = await storePage('second', 6);
    expect(small).toBeLessThan(held * POSTINGS_REBUILD_SHARE);
    expect(await hasIndex()).toBe(true);
    // ...until the run's postings reach half of those held at its start.
    let written = small;
    for (let page = 0; written < held * POSTINGS_REBUILD_SHARE; page += 1) written += await storePage(`more-${page}`, 6);
    expect(await hasIndex()).toBe(!pglite);

    // Searches meanwhile read the table without it; the run's end builds it.
    expect((await keywordList()).length).toBe(20);
    await store.documents.refreshStatistics();
    expect(await hasIndex()).toBe(true);

    // Without the index the keyword list is the same, read from the table (same statistics).
    const indexed = await keywordList();
    await store.database.exec(`drop index ${POSTINGS_TERM_INDEX}`);
    expect(await keywordList()).toEqual(indexed);
    expect(await ensurePostingsTermIndex(store.database)).toBe(true);
    expect(await ensurePostingsTermIndex(store.database)).toBe(false);
    expect(await keywordList()).toEqual(indexed);
  });
});

describe.each(runtimes)("the keyword list's term index in a long run on $name", (runtime) => {
  it('is built again in the middle of a run once the table holds twice the most a run may drop it at, and kept up after', async () => {
    const { store, close } = await runtime.open();
    try {
      const { id: sourceId } = await store.sources.upsert({ name: 'long-run', kind: 'web', baseUrl: 'https://long-run.test/' });
      await store.embeddings.registerModel(model, 4);
      // A repository whose runs may drop the index while the table holds up to 40 postings.
      const documents = new DocumentsRepository(store.database, undefined, new PostingsIndexing(store.database, 40));
      const present = async () =>
        (await store.database.query<{ present: boolean }>('select to_regclass($1) is not null as present', [POSTINGS_TERM_INDEX]))[0]!
          .present;
      const page = async (locator: string) => {
        const chunks = [testChunk(0, `feedback and hiring ${locator}`), testChunk(1, `roadmap for the migration ${locator}`)];
        await documents.replace(testDocument(sourceId, locator, 'long-run.test'), chunks, {
          model,
          vectors: new Map(chunks.map((chunk, index) => [chunk.contentHash, axisVector(4, { [index]: 1 })])),
        });
        return chunks.reduce((sum, chunk) => sum + chunk.keywords.size, 0);
      };
      const pglite = runtime.name === 'pglite';
      let written = await page('p0');
      expect(await present()).toBe(!pglite);
      while (written <= 80) {
        expect(await present()).toBe(!pglite);
        written += await page(`p${written}`);
      }
      // Past twice 40: built again, and the rest of the run keeps it up.
      expect(await present()).toBe(true);
      await page('after-1');
      await page('after-2');
      expect(await present()).toBe(true);
      // The run's end has nothing to build; the next run, over a table past 40, keeps the index.
      await documents.endRun();
      await page('next-run');
      expect(await present()).toBe(true);
    } finally {
      await close();
    }
  });

  it('comes back when the run ends without statistics (DocumentsRepository.endRun)', async () => {
    const { store, close } = await runtime.open();
    try {
      const { id: sourceId } = await store.sources.upsert({ name: 'end-run', kind: 'web', baseUrl: 'https://end-run.test/' });
      await store.embeddings.registerModel(model, 4);
      const chunks = [testChunk(0, 'an incident review')];
      await store.documents.replace(testDocument(sourceId, 'only', 'end-run.test'), chunks, {
        model,
        vectors: new Map([[chunks[0]!.contentHash, axisVector(4, { 0: 1 })]]),
      });
      const present = async () =>
        (await store.database.query<{ present: boolean }>('select to_regclass($1) is not null as present', [POSTINGS_TERM_INDEX]))[0]!
          .present;
      expect(await present()).toBe(runtime.name !== 'pglite');
      await store.documents.endRun();
      expect(await present()).toBe(true);
    } finally {
      await close();
    }
  });
});

describe('a store opened on a directory whose run was cut short', () => {
  it('builds the term index that the run dropped', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cairn-postings-index-'));
    try {
      let store = await Store.open({ dataDir });
      const { id: sourceId } = await store.sources.upsert({ name: 'cut-short', kind: 'web', baseUrl: 'https://cut-short.test/' });
      await store.embeddings.registerModel(model, 4);
      const chunks = [testChunk(0, 'feedback for the roadmap'), testChunk(1, 'hiring a sponsor')];
      await store.documents.replace(testDocument(sourceId, 'page', 'cut-short.test'), chunks, {
        model,
        vectors: new Map(chunks.map((chunk, index) => [chunk.contentHash, axisVector(4, { [index]: 1 })])),
      });
      // The run's first page dropped the index (an empty table); it ends without its end.
      const present = async () =>
        (await store.database.query<{ present: boolean }>('select to_regclass($1) is not null as present', [POSTINGS_TERM_INDEX]))[0]!
          .present;
      expect(await present()).toBe(false);
      await store.close();

      const lines: string[] = [];
      store = await Store.open({ dataDir, log: (line) => lines.push(line) });
      expect(await present()).toBe(true);
      expect(lines).toContain('built the keyword index that an interrupted ingestion run left out');
      await store.close();

      // Opened again with the index in place: nothing to build, nothing said.
      lines.length = 0;
      store = await Store.open({ dataDir, log: (line) => lines.push(line) });
      expect(lines.filter((line) => line.includes('keyword index'))).toEqual([]);
      await store.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
