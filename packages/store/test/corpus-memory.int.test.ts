import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash, sparseEmbedding, type EmbeddingVector, type SparseEmbedding } from '@cairn/core';
import { keywordWeights, queryTerms } from '@cairn/text';
import { CorpusMemory, PostgresDatabase, Store, type ChunkInput, type Database, type DocumentInput } from '../src/index.js';
import { axisVector, runtimes } from './runtimes.js';

/**
 * Search holds a small corpus in memory (CorpusMemory) and ranks both lists there when the
 * corpus's version, read by the one statement it then runs, shows it unchanged since the load
 * (migration 0014). These tests hold it to the statements' ranking, and to every write, whoever makes it.
 */

const dimensions = 8;
const denseModel = { id: 'memory-dense-v1', dimensions };
const sparseDimensions = 16_777_316;
const sparseModel = { id: 'memory-sparse-v1', dimensions: sparseDimensions };

function chunk(ordinal: number, text: string): ChunkInput {
  return {
    ordinal,
    headingPath: ['Guide', `Part ${ordinal}`],
    heading: `Guide › Part ${ordinal}`,
    anchor: `part-${ordinal}`,
    text,
    tokenCount: text.split(' ').length,
    contentHash: contentHash(text),
    keywords: keywordWeights(`Guide › Part ${ordinal}`, text),
  };
}

function documentInput(sourceId: string, locator: string): DocumentInput {
  return {
    sourceId,
    locator,
    url: `https://memory.test/${locator}/`,
    kind: 'article',
    title: `Guide to ${locator}`,
    author: 'Lara Hogan',
    publishedAt: new Date('2024-05-01T00:00:00Z'),
    topics: [],
    frameworks: [],
    etag: null,
    lastModified: null,
    contentHash: contentHash(`${locator}-${Math.random()}`),
  };
}

/** A sparse vector from index → weight (unit length), as the local embedder's are laid out. */
function sparse(entries: Record<number, number>): SparseEmbedding {
  const norm = Math.hypot(...Object.values(entries));
  return sparseEmbedding(
    sparseDimensions,
    Object.entries(entries).map(([index, value]) => [Number(index), value / norm] as const),
  );
}

const texts = [
  'Feedback starts with an observation of behaviour',
  'Name the impact of that behaviour on the team',
  'Close feedback with a question to open a conversation',
  'Sponsors advocate for people in rooms they are not in',
  'Feedback about behaviour lands better soon after it',
  'A team that hears feedback often takes it better',
];
const denseVectors = texts.map((_, index) => axisVector(dimensions, { [index % dimensions]: 1, 7: 0.1 * (index + 1) }));
// Shared features (the "meaning" at low indices, a few terms far up) so that passages tie and differ.
const sparseVectors = texts.map((_, index) =>
  sparse({ 0: 1, [1 + (index % 3)]: 0.5, [5_000_000 + index]: 0.25 * (index + 1), 16_777_315: 0.1 }),
);
const terms = queryTerms('feedback behaviour team');
const queries: { model: typeof denseModel; vectors: EmbeddingVector[] }[] = [
  {
    model: denseModel,
    vectors: [axisVector(dimensions, { 0: 1, 1: 0.5 }), axisVector(dimensions, { 3: 1, 7: 0.2 }), axisVector(dimensions, { 7: 1 })],
  },
  { model: sparseModel, vectors: [sparse({ 0: 1, 2: 0.3 }), sparse({ 5_000_003: 1, 1: 0.2 }), sparse({ 16_777_315: 1 })] },
];

describe.each(runtimes)('the corpus held in memory on $name', (runtime) => {
  let store: Store;
  let statementsOnly: Store;
  let close: () => Promise<void>;
  let databaseUrl: string | undefined;
  let sourceId: string;

  /** Runs lists until the memory holds the corpus for `model` (searches seeing one corpus version, 2 to 64 of them, then the load). */
  async function held(model: typeof denseModel, vector: EmbeddingVector): Promise<void> {
    for (let attempt = 0; attempt < 70 && !store.search.holdsCorpus(model.id); attempt += 1) {
      await store.search.candidateLists(model, vector, terms, { limit: 10 });
      await store.search.memorySettled();
    }
    expect(store.search.holdsCorpus(model.id)).toBe(true);
  }

  beforeAll(async () => {
    ({ store, close, databaseUrl } = await runtime.open());
    statementsOnly = new Store(store.database, { memoryMaxPassages: 0 });
    await store.embeddings.registerModel(denseModel.id, dimensions);
    await store.embeddings.registerModel(sparseModel.id, sparseDimensions, 'sparsevec');
    ({ id: sourceId } = await store.sources.upsert({ name: 'guides', kind: 'web', baseUrl: 'https://memory.test/' }));
    const chunks = texts.map((text, index) => chunk(index, text));
    const document = documentInput(sourceId, 'feedback');
    await store.documents.replace(document, chunks, {
      model: denseModel.id,
      vectors: new Map(chunks.map((item, index) => [item.contentHash, denseVectors[index]!])),
    });
    await store.embeddings.insert(sparseModel.id, new Map(chunks.map((item, index) => [item.contentHash, sparseVectors[index]!])));
    await store.documents.refreshStatistics();
  }, 60_000);

  afterAll(async () => close?.());

  it.each(queries)('ranks the dense list of $model.id as the statements do, and loads passages from memory', async ({ model, vectors }) => {
    await held(model, vectors[0]!);
    expect(store.search.heldPassages(model.id)).toBe(texts.length);
    for (const vector of vectors)
      for (const limit of [1, 3, 10]) {
        const fromMemory = await store.search.candidateLists(model, vector, terms, { limit, pages: true });
        const fromStatements = await statementsOnly.search.candidateLists(model, vector, terms, { limit, pages: true });
        // The lists carry the corpus version they saw: the memory's, as it is still held below.
        expect(fromMemory.corpusVersion).toEqual(expect.any(String));
        expect(fromMemory.dense.map((candidate) => candidate.chunkId)).toEqual(fromStatements.dense.map((candidate) => candidate.chunkId));
        fromMemory.dense.forEach((candidate, index) => {
          expect(candidate.score).toBeCloseTo(fromStatements.dense[index]!.score, 6);
          expect(candidate.documentId).toBe(fromStatements.dense[index]!.documentId);
          expect(candidate.kind).toBe(fromStatements.dense[index]!.kind);
        });
        expect(fromMemory.keyword).toEqual(fromStatements.keyword);
        expect(fromMemory.pages).toEqual(fromStatements.pages);
        const ids = fromMemory.dense.map((candidate) => candidate.chunkId);
        expect(await store.search.passages(ids, { corpusVersion: fromMemory.corpusVersion })).toEqual(
          await statementsOnly.search.passages(ids),
        );
      }
    expect(store.search.holdsCorpus(model.id)).toBe(true);
  });

  it('sees a write by another writer at once, and holds the corpus again once the database is still', async () => {
    const model = denseModel;
    const query = axisVector(dimensions, { 5: 1 });
    await held(model, query);
    const before = await store.search.candidateLists(model, query, terms, { limit: 3 });
    // Another writer: on Postgres another connection pool (as another process would be), on
    // PGlite another Store over its one connection. Neither tells this store anything.
    const other = databaseUrl ? await PostgresDatabase.open(databaseUrl) : undefined;
    const writer = other ? new Store(other) : new Store(store.database);
    try {
      const fresh = chunk(0, 'Feedback on behaviour, given weekly, builds a team that trusts it');
      const document = documentInput(sourceId, 'weekly');
      await writer.documents.replace(document, [fresh], {
        model: model.id,
        vectors: new Map([[fresh.contentHash, axisVector(dimensions, { 5: 1 })]]),
      });
      const after = await store.search.candidateLists(model, query, terms, { limit: 3 });
      const [first] = after.dense;
      expect(first!.score).toBeCloseTo(1, 6);
      expect((await store.search.passages([first!.chunkId], { corpusVersion: after.corpusVersion }))[0]!.text).toBe(fresh.text);
      expect(after.dense.map((candidate) => candidate.chunkId)).not.toEqual(before.dense.map((candidate) => candidate.chunkId));
      // The memory was of the old version of the corpus: it is dropped, not used.
      expect(store.search.holdsCorpus(model.id)).toBe(false);
      await held(model, query);
      const again = await store.search.candidateLists(model, query, terms, { limit: 3 });
      expect(again.dense).toEqual(after.dense);

      // Removed by the other writer: gone from the next list, and from the passages loaded with it.
      await writer.documents.tombstone(sourceId, 'weekly');
      const removed = await store.search.candidateLists(model, query, terms, { limit: 10 });
      expect(removed.dense.map((candidate) => candidate.chunkId)).not.toContain(first!.chunkId);
      expect(await store.search.passages([first!.chunkId], { corpusVersion: removed.corpusVersion })).toEqual([]);
      const statements = await statementsOnly.search.candidateLists(model, query, terms, { limit: 10 });
      expect(removed.dense.map((candidate) => candidate.chunkId)).toEqual(statements.dense.map((candidate) => candidate.chunkId));
      expect(removed.dense.slice(0, 3).map((candidate) => candidate.chunkId)).toEqual(before.dense.map((candidate) => candidate.chunkId));
    } finally {
      await other?.close();
    }
  });

  it('keeps the memory through writes elsewhere in the database (a conversation), and drops it for a renamed source', async () => {
    const model = denseModel;
    const query = axisVector(dimensions, { 2: 1 });
    await held(model, query);
    const conversation = await statementsOnly.conversations.create('memory');
    await statementsOnly.conversations.addMessage({
      conversationId: conversation,
      role: 'user',
      content: 'hello',
      citations: [],
      mode: null,
      model: null,
    });
    const lists = await store.search.candidateLists(model, query, terms, { limit: 4 });
    expect(store.search.holdsCorpus(model.id)).toBe(true);
    expect(lists.dense.map((candidate) => candidate.chunkId)).toEqual(
      (await statementsOnly.search.candidateLists(model, query, terms, { limit: 4 })).dense.map((candidate) => candidate.chunkId),
    );
    // A source's name is a field the memory holds: renaming it moves the version.
    await store.database.query(`update sources set name = 'guides-renamed' where id = $1`, [sourceId]);
    try {
      const renamed = await store.search.candidateLists(model, query, terms, { limit: 4 });
      expect(store.search.holdsCorpus(model.id)).toBe(false);
      const [passage] = await store.search.passages([renamed.dense[0]!.chunkId], { corpusVersion: renamed.corpusVersion });
      expect(passage!.source).toBe('guides-renamed');
    } finally {
      await store.database.query(`update sources set name = 'guides' where id = $1`, [sourceId]);
    }
  });

  it('waits for longer stillness before loading again a corpus that changed soon after its last load', async () => {
    const model = denseModel;
    const query = axisVector(dimensions, { 4: 1 });
    // A store of its own, so that its memory starts empty.
    const watched = new Store(store.database);
    const search = async (times: number) => {
      for (let time = 0; time < times; time += 1) {
        await watched.search.candidateLists(model, query, terms, { limit: 3 });
        await watched.search.memorySettled();
      }
    };
    const write = async (round: number) => {
      const churn = chunk(0, `Churn round ${round} about feedback`);
      await statementsOnly.documents.replace(documentInput(sourceId, 'churn'), [churn], {
        model: model.id,
        vectors: new Map([[churn.contentHash, axisVector(dimensions, { 6: 1 })]]),
      });
    };
    try {
      await search(2);
      expect(watched.search.holdsCorpus(model.id)).toBe(true);
      expect(watched.search.memoryState()).toMatchObject({ loads: 1, stillSearchesNeeded: 2 });
      // Changed before the memory served a search: dropped, and the next load waits for 4 still searches.
      await write(1);
      await search(1);
      expect(watched.search.holdsCorpus(model.id)).toBe(false);
      expect(watched.search.memoryState()).toMatchObject({ loads: 1, stillSearchesNeeded: 4 });
      await search(2);
      expect(watched.search.memoryState().loads).toBe(1);
      await search(1);
      expect(watched.search.memoryState().loads).toBe(2);
      expect(watched.search.holdsCorpus(model.id)).toBe(true);
      // A memory that served its searches: dropped on the next change, and loaded again after 2.
      await search(8);
      await write(2);
      await search(1);
      expect(watched.search.memoryState()).toMatchObject({ loads: 2, stillSearchesNeeded: 2 });
      await search(1);
      expect(watched.search.memoryState().loads).toBe(3);
    } finally {
      await statementsOnly.documents.tombstone(sourceId, 'churn');
    }
  });

  // Writes that touch one table alone: each table's trigger must move the version by itself.
  it('sees a write to the pages alone (a fetch time) and to the vectors alone (a second model)', async () => {
    const model = denseModel;
    const query = axisVector(dimensions, { 0: 1 });
    await held(model, query);
    const [{ id: documentId }] = (await store.database.query<{ id: string }>(`select id from documents where locator = 'feedback'`)) as [
      { id: string },
    ];
    const before = await store.search.candidateLists(model, query, terms, { limit: 3 });
    const [first] = await store.search.passages([before.dense[0]!.chunkId], { corpusVersion: before.corpusVersion });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await statementsOnly.documents.touch(documentId, { etag: 'seen-again', lastModified: null });
    const after = await store.search.candidateLists(model, query, terms, { limit: 3 });
    expect(after.corpusVersion).not.toBe(before.corpusVersion);
    const [touched] = await store.search.passages([after.dense[0]!.chunkId], { corpusVersion: after.corpusVersion });
    const [fromStatements] = await statementsOnly.search.passages([after.dense[0]!.chunkId]);
    expect(touched!.fetchedAt).toEqual(fromStatements!.fetchedAt);
    expect(touched!.fetchedAt!.getTime()).toBeGreaterThan(first!.fetchedAt!.getTime());

    // A model with vectors for two of the passages, then for a third, nearest of all.
    const other = { id: 'memory-other-v1', dimensions };
    await store.embeddings.registerModel(other.id, dimensions);
    const otherQuery = axisVector(dimensions, { 6: 1 });
    await statementsOnly.embeddings.insert(
      other.id,
      new Map(texts.slice(0, 2).map((text, index) => [contentHash(text), axisVector(dimensions, { [index]: 1 })])),
    );
    for (let attempt = 0; attempt < 70 && !store.search.holdsCorpus(other.id); attempt += 1) {
      await store.search.candidateLists(other, otherQuery, terms, { limit: 3 });
      await store.search.memorySettled();
    }
    expect(store.search.heldPassages(other.id)).toBe(2);
    await statementsOnly.embeddings.insert(other.id, new Map([[contentHash(texts[2]!), axisVector(dimensions, { 6: 1 })]]));
    const [nearest] = (await store.search.candidateLists(other, otherQuery, terms, { limit: 3 })).dense;
    expect(nearest!.score).toBeCloseTo(1, 6);
  });

  it('loads passages from memory only for lists that saw the version it holds', async () => {
    const model = denseModel;
    const query = axisVector(dimensions, { 0: 1 });
    await held(model, query);
    const fresh = chunk(0, 'Feedback given this week about behaviour');
    await statementsOnly.documents.replace(documentInput(sourceId, 'this-week'), [fresh], {
      model: model.id,
      vectors: new Map([[fresh.contentHash, axisVector(dimensions, { 0: 1 })]]),
    });
    const lists = await store.search.candidateLists(model, query, terms, { limit: 3 });
    const chunkId = lists.dense[0]!.chunkId;
    await held(model, query);
    const version = (await store.search.candidateLists(model, query, terms, { limit: 3 })).corpusVersion;
    await statementsOnly.documents.tombstone(sourceId, 'this-week');
    // The memory still holds the page (no search has seen the removal yet): lists that saw another version do not get it from there.
    expect(await store.search.passages([chunkId], { corpusVersion: 'another version' })).toEqual([]);
    expect(await store.search.passages([chunkId])).toEqual([]);
    // Lists that saw the memory's version get the page as it was then, consistent with them.
    expect((await store.search.passages([chunkId], { corpusVersion: version })).map((passage) => passage.text)).toEqual([fresh.text]);
  });

  it('does not try again at once a load that failed, and ranks by the statements meanwhile', async () => {
    const model = denseModel;
    const query = axisVector(dimensions, { 1: 1 });
    // The memory's statement fails (as a statement timeout would); every other statement runs.
    const database = store.database;
    const failing: Database = {
      runtime: database.runtime,
      query: async (sql, params, options) => {
        if (sql.includes('v.vector::text as vector')) throw new Error('the memory statement timed out');
        return database.query(sql, params, options);
      },
      exec: (sql) => database.exec(sql),
      transaction: (work) => database.transaction(work),
      session: (work) => database.session(work),
      close: async () => {},
    };
    const broken = new Store(failing);
    for (let time = 0; time < 10; time += 1) {
      const lists = await broken.search.candidateLists(model, query, terms, { limit: 3 });
      expect(lists.dense).toEqual((await statementsOnly.search.candidateLists(model, query, terms, { limit: 3 })).dense);
      await broken.search.memorySettled();
    }
    expect(broken.search.holdsCorpus(model.id)).toBe(false);
    expect(broken.search.memoryState()).toMatchObject({ loads: 1, failures: 1, stillSearchesNeeded: 4 });
  });

  it('does not hold a corpus beyond its limit, or rank a filtered list from memory', async () => {
    const small = new Store(store.database, { memoryMaxPassages: 2 });
    const model = denseModel;
    const query = axisVector(dimensions, { 1: 1 });
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await small.search.candidateLists(model, query, terms, { limit: 5 });
      await small.search.memorySettled();
    }
    expect(small.search.holdsCorpus(model.id)).toBe(false);

    await held(model, query);
    // A source that holds none of the passages: the statements' answer (nothing), not the memory's.
    const filtered = await store.search.candidateLists(model, query, terms, { limit: 5, filters: { sources: ['elsewhere'] } });
    expect(filtered.dense).toEqual([]);
    expect(filtered.keyword).toEqual([]);
  });

  // Last: it empties the table of waiting vectors.
  it('moves the version on a TRUNCATE, and on a write in replica role', async () => {
    const version = async () =>
      (await store.database.query<{ version: string }>(`select ${'version::text'} as version from corpus_version`))[0]!.version;
    const first = await version();
    await store.database.transaction(async (transaction) => {
      await transaction.exec('set local session_replication_role = replica');
      await transaction.query(`update sources set base_url = base_url where id = $1`, [sourceId]);
    });
    const second = await version();
    expect(Number(second)).toBe(Number(first) + 1);
    const model = denseModel;
    const query = axisVector(dimensions, { 0: 1 });
    await held(model, query);
    await store.database.exec('truncate unindexed_embeddings');
    expect(Number(await version())).toBe(Number(second) + 1);
    const lists = await store.search.candidateLists(model, query, terms, { limit: 10 });
    expect(store.search.holdsCorpus(model.id)).toBe(false);
    expect(lists.dense).toEqual((await statementsOnly.search.candidateLists(model, query, terms, { limit: 10 })).dense);
  });
});

describe('CorpusMemory.rank', () => {
  const passage = (chunkId: string, vector: EmbeddingVector) => ({
    chunkId,
    documentId: `doc-${chunkId}`,
    url: 'https://memory.test/',
    title: 't',
    author: null,
    source: 's',
    kind: 'article' as const,
    heading: 'h',
    headingPath: [],
    anchor: null,
    text: chunkId,
    publishedAt: null,
    fetchedAt: null,
    frameworks: [],
    vector,
  });

  it('ranks by cosine, ties by chunk id, and leaves out a vector with no direction', () => {
    const memory = new CorpusMemory('m', 'vector', '1:1:', [
      passage('c', [1, 0]),
      passage('a', [2, 0]),
      passage('b', [0, 1]),
      passage('z', [0, 0]),
      passage('d', [1, 1]),
    ]);
    const ranked = memory.rank([1, 0], 10)!;
    expect(ranked.map((candidate) => candidate.chunkId)).toEqual(['a', 'c', 'd', 'b']);
    expect(ranked[2]!.score).toBeCloseTo(Math.SQRT1_2, 6);
    expect(memory.rank([1, 0], 2)!.map((candidate) => candidate.chunkId)).toEqual(['a', 'c']);
    // Another kind of vector than the memory's: not ranked here.
    expect(memory.rank(sparseEmbedding(2, [[0, 1]]), 10)).toBeNull();
    expect(memory.rank([1, 0, 0], 10)).toBeNull();
  });

  it('ranks sparse vectors by the features they share', () => {
    const memory = new CorpusMemory('m', 'sparsevec', '1:1:', [
      passage(
        'x',
        sparseEmbedding(10, [
          [1, 1],
          [9, 1],
        ]),
      ),
      passage('y', sparseEmbedding(10, [[2, 1]])),
      passage('w', sparseEmbedding(10, [])),
    ]);
    const ranked = memory.rank(sparseEmbedding(10, [[9, 1]]), 10)!;
    expect(ranked.map((candidate) => [candidate.chunkId, Number(candidate.score.toFixed(6))])).toEqual([
      ['x', Number(Math.SQRT1_2.toFixed(6))],
      ['y', 0],
    ]);
    expect(memory.rank([0, 1], 10)).toBeNull();
  });
});
