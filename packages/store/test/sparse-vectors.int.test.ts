import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash, isSparseEmbedding, sparseEmbedding, type SparseEmbedding } from '@cairn/core';
import { createTestDatabase, type TestDatabase } from '@cairn/testing';
import { embeddingFromSql } from '../src/embedding-to-sql.js';
import { denseSearchQuery, hnswIndexName, Store } from '../src/index.js';
import { insertBulkPassages, runtimes, testChunk, testDocument } from './runtimes.js';

/** A sparse model as local-semantic-v2 lays its vectors out: far more dimensions than a dense vector may have. */
const dimensions = 16_777_316;
const model = 'sparse-model-v1';

/** A unit sparse vector with weight on the given indices. */
function sparse(entries: Record<number, number>): SparseEmbedding {
  const norm = Math.hypot(...Object.values(entries));
  return sparseEmbedding(
    dimensions,
    Object.entries(entries).map(([index, value]) => [Number(index), value / norm] as const),
  );
}

const chunk = testChunk;
const documentInput = (sourceId: string, locator: string) => testDocument(sourceId, locator, 'sparse.test');
describe.each(runtimes.flatMap((runtime) => (['deferred', 'immediate'] as const).map((indexing) => ({ ...runtime, indexing }))))(
  'sparse vectors on $name ($indexing indexing)',
  ({ open, indexing }) => {
    let store: Store;
    let close: () => Promise<void>;
    let sourceId: string;
    // Indices far apart, beyond any dense vector's 2,000: each feature keeps its own.
    const texts = ['alpha passage', 'beta passage', 'gamma passage'];
    const vectors = [sparse({ 3: 1, 5_000_000: 0.5 }), sparse({ 7: 1, 12_000_000: 0.5 }), sparse({ 3: 0.2, 16_777_315: 1 })];

    beforeAll(async () => {
      ({ store, close } = await open({ vectorIndexing: indexing }));
      sourceId = (await store.sources.upsert({ name: 'sparse', kind: 'web', baseUrl: 'https://sparse.test/' })).id;
      expect(await store.embeddings.registerModel(model, dimensions, 'sparsevec')).toMatchObject({
        vectorType: 'sparsevec',
        status: 'active',
      });
      const chunks = texts.map((text, index) => chunk(index, text));
      await store.documents.replace(documentInput(sourceId, 'doc'), chunks, {
        model,
        vectors: new Map(chunks.map((item, index) => [item.contentHash, vectors[index]!])),
      });
    }, 60_000);

    afterAll(async () => close?.());

    it('stores them in their own column, returns them from the cache as they went in, and finds the nearest', async () => {
      const cached = await store.embeddings.findCached(model, [contentHash('beta passage')]);
      const stored = cached.get(contentHash('beta passage'))!;
      expect(isSparseEmbedding(stored)).toBe(true);
      expect(stored).toMatchObject({ dimensions, indices: [...vectors[1]!.indices] });
      const hits = await store.search.dense({ id: model, dimensions }, sparse({ 16_777_315: 1, 3: 0.1 }), { limit: 3 });
      expect(hits.map((hit) => hit.text)).toEqual(['gamma passage', 'alpha passage', 'beta passage'].slice(0, hits.length));
      expect(hits[0]!.score).toBeCloseTo((0.02 + 1) / Math.hypot(0.2, 1) / Math.hypot(0.1, 1), 4);
    });

    it('moves them into the index at the end of a run, and still finds them there', async () => {
      await store.embeddings.indexPending();
      expect(await store.embeddings.countUnindexed()).toEqual(new Map());
      const [index] = await store.database.query<{ definition: string }>(
        'select indexdef as definition from pg_indexes where indexname = $1',
        [hnswIndexName(model)],
      );
      expect(index!.definition).toMatch(/sparsevec_cosine_ops/);
      const [best] = await store.search.dense({ id: model, dimensions }, sparse({ 7: 1 }), { limit: 1 });
      expect(best!.text).toBe('beta passage');
    });

    it('finds nothing near a vector with no direction, and never ranks a passage by a NaN cosine', async () => {
      // A passage of symbols alone embeds to no entry at all: at a NaN distance from every question.
      const empty = chunk(0, '!!! ---');
      await store.documents.replace(documentInput(sourceId, 'symbols'), [empty], {
        model,
        vectors: new Map([[empty.contentHash, sparseEmbedding(dimensions, [])]]),
      });
      const zero = sparseEmbedding(dimensions, []);
      expect(await store.search.dense({ id: model, dimensions }, zero, { limit: 10 })).toEqual([]);
      expect(await store.search.denseCandidates({ id: model, dimensions }, zero, { limit: 10 })).toEqual([]);
      const lists = await store.search.candidateLists({ id: model, dimensions }, zero, ['alpha'], { limit: 10 });
      expect(lists.dense).toEqual([]);
      const hits = await store.search.dense({ id: model, dimensions }, sparse({ 3: 1 }), { limit: 10 });
      expect(hits.map((hit) => hit.text)).not.toContain('!!! ---');
      for (const hit of hits) expect(Number.isFinite(hit.score)).toBe(true);
      const candidates = await store.search.candidateLists({ id: model, dimensions }, sparse({ 3: 1 }), ['alpha'], { limit: 10 });
      expect(candidates.dense.length).toBeGreaterThan(0);
      for (const candidate of candidates.dense) expect(Number.isFinite(candidate.score)).toBe(true);
      await store.documents.tombstone(sourceId, 'symbols');
    });

    it('refuses to register the same id again as dense vectors, or a sparse model past pgvector limits', async () => {
      await expect(store.embeddings.registerModel(model, 1000)).rejects.toMatchObject({ code: 'embedding_dimensions_mismatch' });
      await expect(store.embeddings.registerModel('too-wide-sparse', 2_000_000_000, 'sparsevec')).rejects.toMatchObject({
        code: 'invalid_embedding_model',
      });
      await expect(store.embeddings.registerModel('too-wide-dense', 2001)).rejects.toMatchObject({ code: 'invalid_embedding_model' });
    });
  },
);

describe('sparse vector search plan at 10,000 chunks on server Postgres', () => {
  let testDatabase: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    store = await Store.open({ databaseUrl: testDatabase.url });
    await store.embeddings.registerModel(model, dimensions, 'sparsevec');
    await insertBulkPassages(store);
    // 40 random features of 16 million per chunk, as passages' terms are.
    await store.database.query(
      `insert into embeddings (model, content_hash, sparse_embedding)
       select $1, c.content_hash, ('{' || (
         select string_agg(i::text || ':' || (0.1 + random())::real::text, ',' order by i)
         from (select distinct 1 + (random() * ($2::int - 1))::int as i from generate_series(1, 40) where c.ordinal is not null) as features
       ) || '}/' || $2::int)::sparsevec
       from chunks c`,
      [model, dimensions],
    );
    await store.database.exec('reindex index ' + hnswIndexName(model));
    await store.database.exec('analyze');
  }, 180_000);

  afterAll(async () => {
    await store?.close();
    await testDatabase?.drop();
  });

  it('walks the sparse HNSW index for a search, filtered or not', async () => {
    const [row] = await store.database.query<{ vector: string }>('select sparse_embedding::text as vector from embeddings limit 1');
    const vector = embeddingFromSql(row!.vector);
    expect(isSparseEmbedding(vector)).toBe(true);
    for (const filters of [undefined, { sources: ['bulk'] }]) {
      const { sql, params } = denseSearchQuery({ id: model, dimensions }, vector, { limit: 50, filters });
      const plan = (await store.database.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, params))
        .map((line) => line['QUERY PLAN'])
        .join('\n');
      expect(plan).toContain(`Index Scan using ${hnswIndexName(model)}`);
    }
    const hits = await store.search.dense({ id: model, dimensions }, vector, { limit: 50 });
    expect(hits).toHaveLength(50);
    expect(hits[0]!.score).toBeCloseTo(1, 4);
  });
});
