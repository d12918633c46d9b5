import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contentHash } from '@cairn/core';
import { defaultVectorIndexing, hnswIndexName, lostVectorsQuery, Store, type Queryable } from '../src/index.js';
import { axisVector, runtimes, testChunk, testDocument } from './runtimes.js';

const dimensions = 8;
const model = 'deferred-model-v1';

const chunk = testChunk;

/** A node of a plan as `explain (format json)` gives it. */
interface PlanNode {
  'Actual Loops': number;
  'Actual Rows': number;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** The plan of a statement as it runs (`explain analyze`: only for statements that change nothing). */
async function explain(database: Queryable, statement: { sql: string; params: readonly unknown[] }): Promise<PlanNode> {
  const [row] = await database.query<{ 'QUERY PLAN': unknown }>(`explain (analyze, format json) ${statement.sql}`, statement.params);
  const plan = row!['QUERY PLAN'];
  return ((typeof plan === 'string' ? JSON.parse(plan) : plan) as [{ Plan: PlanNode }])[0].Plan;
}

const documentInput = (sourceId: string, locator: string) => testDocument(sourceId, locator, 'deferred.test');

/** A document of `count` chunks, chunk i on axis (offset + i) % dimensions, slightly tilted so that each vector is distinct. */
async function storeDocument(store: Store, sourceId: string, locator: string, texts: string[], axisOf: (index: number) => number) {
  const chunks = texts.map((text, index) => chunk(index, text));
  const vectors = new Map(
    chunks.map((item, index) => [
      item.contentHash,
      axisVector(dimensions, { [axisOf(index)]: 1, [(axisOf(index) + 1) % dimensions]: 0.01 * (index + 1) }),
    ]),
  );
  return store.documents.replace(documentInput(sourceId, locator), chunks, { model, vectors });
}

describe.each(runtimes)('deferred vector indexing on $name', (runtime) => {
  let store: Store;
  let close: () => Promise<void>;
  let sourceId: string;
  let otherSourceId: string;
  const search = (axes: Record<number, number>, options: { limit?: number; sources?: string[] } = {}) =>
    store.search.dense({ id: model, dimensions }, axisVector(dimensions, axes), {
      limit: options.limit ?? 10,
      filters: options.sources ? { sources: options.sources } : undefined,
    });
  const indexExists = async () =>
    (
      await store.database.query<{ definition: string }>('select indexdef as definition from pg_indexes where indexname = $1', [
        hnswIndexName(model),
      ])
    )[0]?.definition ?? null;

  beforeAll(async () => {
    ({ store, close } = await runtime.open({ vectorIndexing: 'deferred' }));
    sourceId = (await store.sources.upsert({ name: 'deferred', kind: 'web', baseUrl: 'https://deferred.test/' })).id;
    otherSourceId = (await store.sources.upsert({ name: 'other', kind: 'web', baseUrl: 'https://other.test/' })).id;
    await store.embeddings.registerModel(model, dimensions);
  }, 60_000);

  afterAll(async () => close?.());

  it('keeps new vectors out of the index, and still finds, caches and counts them', async () => {
    expect(store.vectorIndexing).toBe('deferred');
    const texts = Array.from({ length: 10 }, (_, index) => `first batch passage ${index}`);
    await storeDocument(store, sourceId, 'first', texts, (index) => index % dimensions);
    expect(await store.embeddings.countUnindexed()).toEqual(new Map([[model, 10]]));
    // Out of the index either way. Server Postgres keeps them in `unindexed_embeddings`; PGlite,
    // whose model had no vectors, dropped the index and wrote them straight into `embeddings`
    // (VectorTargets), as the run's end rebuilds it over them all anyway.
    const [tables] = await store.database.query<{ indexed: number; waiting: number }>(
      'select (select count(*)::int from embeddings) as indexed, (select count(*)::int from unindexed_embeddings) as waiting',
    );
    expect(tables).toEqual(runtime.name === 'pglite' ? { indexed: 10, waiting: 0 } : { indexed: 0, waiting: 10 });
    if (runtime.name === 'pglite') expect(await indexExists()).toBeNull();

    const hits = await search({ 3: 1 });
    expect(hits).toHaveLength(10);
    expect(hits[0]!.text).toBe('first batch passage 3');
    expect(hits.map((hit) => hit.score)).toEqual([...hits.map((hit) => hit.score)].sort((a, b) => b - a));
    expect((await store.embeddings.findCached(model, [contentHash('first batch passage 3')])).size).toBe(1);
    expect(await store.embeddings.missing(model, 100)).toEqual([]);
  });

  it('moves them into the index with one build when they are many, and search finds the same', async () => {
    const before = await search({ 3: 1 });
    const moved = await store.embeddings.indexPending();
    expect(moved).toEqual([{ model, vectors: 10, rebuilt: true }]);
    expect(await store.embeddings.countUnindexed()).toEqual(new Map());
    expect(await indexExists()).toMatch(/USING hnsw .*vector_cosine_ops.*WHERE \(model = 'deferred-model-v1'/);
    const after = await search({ 3: 1 });
    expect(after.map((hit) => hit.chunkId)).toEqual(before.map((hit) => hit.chunkId));
    expect(await store.embeddings.indexPending()).toEqual([]);
  });

  it('is the default on both databases; without its index a model is searched exactly, and its next registration builds it', async () => {
    expect(defaultVectorIndexing(store.database.runtime)).toBe('deferred');
    // As a build that never finished leaves it: the vectors moved, the index not there.
    await store.database.exec(`drop index ${hnswIndexName(model)}`);
    expect(await indexExists()).toBeNull();
    expect((await search({ 3: 1 }))[0]!.text).toBe('first batch passage 3');
    await store.embeddings.registerModel(model, dimensions);
    expect(await indexExists()).toMatch(/USING hnsw .*vector_cosine_ops/);
  });

  it('inserts a few into the index one by one, and merges the indexed and the unindexed in one ranking', async () => {
    await storeDocument(store, otherSourceId, 'late', ['a late passage near axis five'], () => 5);
    expect(await store.embeddings.countUnindexed()).toEqual(new Map([[model, 1]]));
    const merged = await search({ 5: 1 }, { limit: 3 });
    expect(merged[0]!.text).toBe('a late passage near axis five');
    expect(merged.slice(1).every((hit) => hit.source === 'deferred')).toBe(true);
    // The source filter applies to both parts.
    expect((await search({ 5: 1 }, { sources: ['deferred'] })).some((hit) => hit.source === 'other')).toBe(false);
    expect((await search({ 5: 1 }, { sources: ['other'] })).map((hit) => hit.text)).toEqual(['a late passage near axis five']);

    // 1 new against 10 indexed: under REBUILD_SHARE, so inserted, not rebuilt.
    expect(await store.embeddings.indexPending()).toEqual([{ model, vectors: 1, rebuilt: false }]);
    expect(await indexExists()).not.toBeNull();
    expect((await search({ 5: 1 }, { limit: 1 }))[0]!.text).toBe('a late passage near axis five');
  });

  it('inserts them in batches of a transaction each', async () => {
    await storeDocument(store, otherSourceId, 'trickle', ['trickle one', 'trickle two'], (index) => 6 + index);
    expect(await store.embeddings.countUnindexed()).toEqual(new Map([[model, 2]]));
    // 2 new against 11 indexed: under REBUILD_SHARE again.
    const transactions: string[] = [];
    const transaction = store.database.transaction.bind(store.database);
    const spy = vi.spyOn(store.database, 'transaction').mockImplementation((work) => {
      transactions.push('transaction');
      return transaction(work);
    });
    try {
      expect(await store.embeddings.indexPending({ batchSize: 1 })).toEqual([{ model, vectors: 2, rebuilt: false }]);
    } finally {
      spy.mockRestore();
    }
    // One a vector, and one that finds nothing left.
    expect(transactions).toHaveLength(3);
    expect(await store.embeddings.countUnindexed()).toEqual(new Map());
    expect((await search({ 7: 1 }, { limit: 1 }))[0]!.text).toBe('trickle two');
  });

  it('never stores a vector in both tables, and deletes unindexed vectors no chunk uses', async () => {
    // The same text again (already indexed): nothing new to keep.
    await storeDocument(store, otherSourceId, 'copy', ['first batch passage 3'], () => 3);
    expect(await store.embeddings.countUnindexed()).toEqual(new Map());
    // A text replaced before its vector was indexed: its vector goes with it.
    await storeDocument(store, otherSourceId, 'draft', ['a draft that is soon rewritten'], () => 6);
    expect(await store.embeddings.countUnindexed()).toEqual(new Map([[model, 1]]));
    await storeDocument(store, otherSourceId, 'draft', ['the rewritten draft'], () => 7);
    expect(await store.embeddings.countUnindexed()).toEqual(new Map([[model, 1]]));
    expect((await store.embeddings.findCached(model, [contentHash('a draft that is soon rewritten')])).size).toBe(0);
    await store.documents.tombstone(otherSourceId, 'draft');
    expect(await store.embeddings.countUnindexed()).toEqual(new Map());
  });

  it('writes straight into the index when immediate, whatever the runtime', async () => {
    const immediate = new Store(store.database, { vectorIndexing: 'immediate' });
    await storeDocument(immediate, sourceId, 'direct', ['written straight into the index'], () => 2);
    expect(await store.embeddings.countUnindexed()).toEqual(new Map());
    expect((await immediate.embeddings.findCached(model, [contentHash('written straight into the index')])).size).toBe(1);
    // And a vector indexed already is not kept again by a deferred writer.
    await storeDocument(store, otherSourceId, 'direct-copy', ['written straight into the index'], () => 2);
    expect(await store.embeddings.countUnindexed()).toEqual(new Map());
  });

  it('moves the vectors in one pass, even when the last ANALYZE saw the table empty', async () => {
    // As after a run (PGlite has no autovacuum): statistics that say unindexed_embeddings is empty.
    await store.documents.refreshStatistics();
    // A run that keeps the index to its end on both databases (a corpus that search ranks
    // through it: on PGlite VectorTargets would otherwise write a run this large straight
    // into `embeddings`, and move only what waited when it switched).
    const kept = new Store(store.database, { vectorIndexing: 'deferred', exactDenseMaxPassages: 0 });
    const texts = Array.from({ length: 60 }, (_, index) => `a passage of the next run ${index}`);
    await storeDocument(kept, sourceId, 'next-run', texts, (index) => index % dimensions);
    expect(await kept.embeddings.countUnindexed()).toEqual(new Map([[model, 60]]));
    // The plan of each statement that moves vectors, as it runs (explained in a savepoint rolled back).
    const plans: PlanNode[] = [];
    const transaction = store.database.transaction.bind(store.database);
    const spy = vi.spyOn(store.database, 'transaction').mockImplementation((work) =>
      transaction((inner) =>
        work({
          exec: (sql) => inner.exec(sql),
          query: async <Row>(sql: string, params?: readonly unknown[]) => {
            if (sql.includes('delete from unindexed_embeddings')) {
              await inner.exec('savepoint explained');
              plans.push(await explain(inner, { sql, params: params ?? [] }));
              await inner.exec('rollback to savepoint explained');
            }
            return inner.query<Row>(sql, params);
          },
        }),
      ),
    );
    try {
      expect(await kept.embeddings.indexPending()).toEqual([{ model, vectors: 60, rebuilt: true }]);
    } finally {
      spy.mockRestore();
    }
    expect(await indexExists()).not.toBeNull();
    expect(plans).toHaveLength(1);
    // A join with a batch it believed to be one row ran the batch's query once per vector moved.
    const loops = (node: PlanNode): number[] => [node['Actual Loops'], ...(node.Plans ?? []).flatMap(loops)];
    expect(Math.max(...loops(plans[0]!))).toBe(1);
    expect((await search({ 3: 1 }, { limit: 1 }))[0]!.text).toMatch(/passage/);
  });

  it("looks a page's cached vectors up one by one, even when the last ANALYZE saw the waiting table empty", async () => {
    await store.documents.refreshStatistics();
    const texts = Array.from({ length: 300 }, (_, index) => `a passage waiting for the index ${index}`);
    // A run that keeps the index (see above), so that its vectors wait in the unindexed table on both databases.
    const kept = new Store(store.database, { vectorIndexing: 'deferred', exactDenseMaxPassages: 0 });
    await storeDocument(kept, sourceId, 'waiting-run', texts, (index) => index % dimensions);
    expect(await kept.embeddings.countUnindexed()).toEqual(new Map([[model, 300]]));
    const hashes = texts.slice(0, 5).map((text) => contentHash(text));
    const plan = await explain(store.database, lostVectorsQuery(model, hashes));
    // What each scan of the waiting table returned, over all its loops: the five texts, not the run's 300.
    const read = (node: PlanNode): number =>
      (node['Relation Name'] === 'unindexed_embeddings' ? node['Actual Rows'] * node['Actual Loops'] : 0) +
      (node.Plans ?? []).reduce((sum, child) => sum + read(child), 0);
    expect(read(plan)).toBeLessThanOrEqual(hashes.length);
    expect(await store.database.query(lostVectorsQuery(model, hashes).sql, lostVectorsQuery(model, hashes).params)).toEqual([]);
    await kept.embeddings.indexPending();
  });
});
