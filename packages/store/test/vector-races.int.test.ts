import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '@cairn/core';
import { lockVectorHashes, VECTOR_LOCK_STRIPES, type Queryable, type Store } from '../src/index.js';
import { axisVector, runtimes, testChunk, testDocument } from './runtimes.js';

const dimensions = 8;
const model = 'races-model-v1';
const vector = axisVector(dimensions, { 0: 1, 1: 0.3 });

/** How many vectors of the model a text has, in either table. */
async function vectorsOf(store: Store, hash: string): Promise<number> {
  const [row] = await store.database.query<{ count: number }>(
    `select (select count(*) from embeddings where model = $1 and content_hash = $2)
          + (select count(*) from unindexed_embeddings where model = $1 and content_hash = $2) as count`,
    [model, hash],
  );
  return Number(row!.count);
}

/** A store with the model registered and one source, and a page of that source by locator. */
async function openRaces(runtime: (typeof runtimes)[number]) {
  const { store, close } = await runtime.open();
  const { id: sourceId } = await store.sources.upsert({ name: 'races', kind: 'web', baseUrl: 'https://races.test/' });
  await store.embeddings.registerModel(model, dimensions);
  return { store, close, page: (locator: string) => testDocument(sourceId, locator, 'races.test') };
}

/**
 * A text's vector belongs to every passage that has the text, across pages and sources, and
 * is deleted with the last of them. These are the orders in which concurrent writers (pages
 * of one run, two runs, a re-embedding) reach a shared text: each must leave every passage
 * with its vector and no vector without a passage.
 */
describe.each(runtimes)('vectors of shared texts under concurrent writers on $name', (runtime) => {
  let store: Store;
  let close: () => Promise<void>;
  let page: (locator: string) => ReturnType<typeof testDocument>;

  beforeAll(async () => {
    ({ store, close, page } = await openRaces(runtime));
  }, 60_000);

  afterAll(async () => close?.());

  it('stores again a vector a page found cached that another page deleted before it wrote', async () => {
    const shared = testChunk(0, 'A passage two pages share, moved from one to the other');
    const other = testChunk(0, 'What the first page says once the shared passage left it');
    await store.documents.replace(page('first'), [shared], { model, vectors: new Map([[shared.contentHash, vector]]) });
    // The second page is embedded now: the shared text's vector is found cached, nothing is computed.
    const stored = new Map([[shared.contentHash, vector]]);
    // Meanwhile the first page changes: the text's last passage goes, and its vector with it.
    await store.documents.replace(page('first'), [other], { model, vectors: new Map([[other.contentHash, vector]]) });
    expect(await vectorsOf(store, shared.contentHash)).toBe(0);
    // The second page's transaction: its passage gets the vector it was embedded with.
    await store.documents.replace(page('second'), [shared], { model, vectors: new Map(), stored });
    expect(await vectorsOf(store, shared.contentHash)).toBe(1);
    // A page that found nothing cached and passes no stored vectors stores none it was not given.
    const bare = testChunk(1, 'A passage with no vector anywhere');
    await store.documents.replace(page('third'), [bare], { model, vectors: new Map() });
    expect(await vectorsOf(store, bare.contentHash)).toBe(0);
  });

  // A lock per text made a source of a few thousand passages fail to delete ("out of shared memory").
  it('locks the texts of a large source in one transaction, within the lock table', async () => {
    const hashes = Array.from({ length: 20_000 }, (_, index) => contentHash(`text ${index}`));
    const held = async (transaction: Queryable) =>
      (
        await transaction.query<{ locks: number }>(
          `select count(*)::int as locks from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()`,
        )
      )[0]!.locks;
    // The statement itself, on either database, as server Postgres runs it.
    await store.database.transaction(async (transaction) => {
      await lockVectorHashes(transaction, hashes, 'postgres');
      expect(await held(transaction)).toBeLessThanOrEqual(VECTOR_LOCK_STRIPES);
      expect(await held(transaction)).toBeGreaterThan(VECTOR_LOCK_STRIPES / 2);
    });
    // PGlite's one connection has no other transaction to take turns with: nothing is locked.
    await store.database.transaction(async (transaction) => {
      await lockVectorHashes(transaction, hashes, 'pglite');
      expect(await held(transaction)).toBe(0);
    });
  });

  it('stores no vector for a text no passage has (a re-embedding that a page change overtook)', async () => {
    const kept = testChunk(0, 'A passage the re-embedding finds still there');
    await store.documents.replace(page('reembedded'), [kept], { model, vectors: new Map() });
    const gone = contentHash('A passage removed after the re-embedding read it');
    await store.embeddings.insert(
      model,
      new Map([
        [kept.contentHash, vector],
        [gone, vector],
      ]),
    );
    expect(await vectorsOf(store, kept.contentHash)).toBe(1);
    expect(await vectorsOf(store, gone)).toBe(0);
  });

  // Server Postgres only: PGlite's one connection runs transactions one after the other.
  if (runtime.name === 'postgres')
    it('takes turns on a shared text: two pages removing its last two passages together delete its vector', async () => {
      const shared = testChunk(0, 'A footer every page of the old site carried');
      const own = (name: string) => testChunk(0, `What ${name} says without the footer`);
      for (const locator of ['left', 'right'])
        await store.documents.replace(page(locator), [shared], { model, vectors: new Map([[shared.contentHash, vector]]) });
      expect(await vectorsOf(store, shared.contentHash)).toBe(1);
      const waiting = async () =>
        Number(
          (
            await store.database.query<{ count: number }>(
              `select count(*)::int as count from pg_locks where locktype = 'advisory' and not granted`,
            )
          )[0]!.count,
        );
      // A third connection holds the text's lock, so that both writers reach it (their
      // passages deleted, uncommitted) before either decides about the vector.
      let release!: () => void;
      let held!: () => void;
      const holding = new Promise<void>((resolve) => (held = resolve));
      const holder = store.database.session(async (connection) => {
        await connection.query(`select pg_advisory_lock(${0x76656331}, hashtext($1) & ${VECTOR_LOCK_STRIPES - 1})`, [shared.contentHash]);
        held();
        await new Promise<void>((resolve) => (release = resolve));
        await connection.query(`select pg_advisory_unlock(${0x76656331}, hashtext($1) & ${VECTOR_LOCK_STRIPES - 1})`, [shared.contentHash]);
      });
      await holding;
      const writers = ['left', 'right'].map((locator) =>
        store.documents.replace(page(locator), [own(locator)], {
          model,
          vectors: new Map([[own(locator).contentHash, vector]]),
        }),
      );
      const deadline = Date.now() + 20_000;
      while ((await waiting()) < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await waiting()).toBe(2);
      release();
      await holder;
      await Promise.all(writers);
      expect(await vectorsOf(store, shared.contentHash)).toBe(0);
      // And the other order: a page adding the text while another removes its last passage keeps it.
      await store.documents.replace(page('left'), [shared], { model, vectors: new Map([[shared.contentHash, vector]]) });
      const stored = new Map([[shared.contentHash, vector]]);
      await Promise.all([
        store.documents.replace(page('left'), [own('left')], { model, vectors: new Map() }),
        store.documents.replace(page('right'), [shared], { model, vectors: new Map(), stored }),
      ]);
      expect(await vectorsOf(store, shared.contentHash)).toBe(1);
    }, 60_000);
});
