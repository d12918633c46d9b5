import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '@cairn/core';
import { keywordWeights, queryTerms } from '@cairn/text';
import {
  candidateListsQuery,
  denseSearchQuery,
  keywordSearchQuery,
  SearchRepository,
  type ChunkInput,
  type DocumentInput,
  type Store,
} from '../src/index.js';
import { axisVector, insertOrphanVectors, runtimes } from './runtimes.js';

const dimensions = 8;
const model = { id: 'candidates-model-v1', dimensions };

/** What a ranked list may carry: what ranking reads, and the statement's own bookkeeping. Never text or citation fields. */
const candidateKeys = ['chunkId', 'documentId', 'kind', 'score'];
const listRowKeys = new Set([...candidateKeys, 'position', 'statistics', 'crowded']);

function chunk(ordinal: number, text: string, heading: string): ChunkInput {
  return {
    ordinal,
    headingPath: ['Guide', heading],
    heading: `Guide › ${heading}`,
    anchor: heading.toLowerCase(),
    text,
    tokenCount: text.split(' ').length,
    contentHash: contentHash(text),
    keywords: keywordWeights(`Guide › ${heading}`, text),
  };
}

function documentInput(sourceId: string, locator: string, author: string): DocumentInput {
  return {
    sourceId,
    locator,
    url: `https://candidates.test/${locator}/`,
    kind: 'article',
    title: `Guide to ${locator}`,
    author,
    publishedAt: new Date('2024-05-01T00:00:00Z'),
    topics: [],
    frameworks: ['feedback'],
    etag: null,
    lastModified: null,
    contentHash: contentHash(locator),
  };
}

describe.each(runtimes)('ranked lists and passages on $name', (runtime) => {
  let store: Store;
  let close: () => Promise<void>;
  const texts = [
    'Feedback starts with an observation of behaviour',
    'Name the impact of that behaviour on the team',
    'Close feedback with a question to open a conversation',
    'Sponsors advocate for people in rooms they are not in',
  ];

  beforeAll(async () => {
    // The statements alone: search ranking from memory is corpus-memory.int.test.ts's.
    ({ store, close } = await runtime.open({ memoryMaxPassages: 0 }));
    await store.embeddings.registerModel(model.id, dimensions);
    const { id: sourceId } = await store.sources.upsert({ name: 'guides', kind: 'web', baseUrl: 'https://candidates.test/' });
    const chunks = texts.map((text, index) => chunk(index, text, `Part ${index}`));
    await store.documents.replace(documentInput(sourceId, 'feedback', 'Lara Hogan'), chunks, {
      model: model.id,
      vectors: new Map(chunks.map((item, index) => [item.contentHash, axisVector(dimensions, { [index]: 1, 7: 0.1 })])),
    });
    await store.documents.refreshStatistics();
  }, 60_000);

  afterAll(async () => close?.());

  const query = axisVector(dimensions, { 0: 1, 1: 0.5 });
  const terms = queryTerms('feedback behaviour observation');

  it('lists carry chunk ids, pages, kinds and scores: no text or citation fields', async () => {
    const dense = await store.search.denseCandidates(model, query, { limit: 10 });
    const keyword = await store.search.keywordCandidates(terms, { limit: 10 });
    const both = await store.search.candidateLists(model, query, terms, { limit: 10 });
    expect(dense.length).toBe(4);
    expect(keyword.length).toBeGreaterThan(0);
    for (const candidate of [...dense, ...keyword, ...both.dense, ...both.keyword])
      expect(Object.keys(candidate).sort()).toEqual(candidateKeys);
    // The statements themselves: a column added to them (c.text, d.url, ...) fails here, not only in the mapping.
    const statements = [denseSearchQuery(model, query, { limit: 10 }), keywordSearchQuery(terms, [1, 1, 1], { limit: 10 })];
    for (const { sql, params } of statements) {
      const rows = await store.database.query<Record<string, unknown>>(sql, params);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(Object.keys(row).filter((key) => !listRowKeys.has(key))).toEqual([]);
    }
    // Both lists in one statement: one row, each list JSON text of [chunkId, documentId, kind, score].
    const lists = candidateListsQuery(model, query, terms, [1, 1, 1], { limit: 10 });
    const rows = await store.database.query<Record<string, unknown>>(lists.sql, lists.params);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual(['corpusVersion', 'crowded', 'dense', 'keyword', 'statistics']);
    for (const list of ['dense', 'keyword']) {
      const entries = JSON.parse(rows[0]![list] as string) as unknown[][];
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) expect(entry).toHaveLength(4);
    }
  });

  it('runs both lists as one statement with the same rows, in the same order, as two', async () => {
    for (const filters of [undefined, { sources: ['guides'] }, { authors: ['lara hogan'] }, { sources: ['elsewhere'] }]) {
      const both = await store.search.candidateLists(model, query, terms, { limit: 3, filters });
      expect(both.dense).toEqual(await store.search.denseCandidates(model, query, { limit: 3, filters }));
      expect(both.keyword).toEqual(await store.search.keywordCandidates(terms, { limit: 3, filters }));
    }
    expect((await store.search.candidateLists(model, query, [], { limit: 3 })).keyword).toEqual([]);
  });

  // Unfiltered, the dense list takes the nearest vectors first and joins their passages after;
  // filtered, it joins first (denseSearchQuery). Both must give one ranking, passages that
  // share a text and a vector no passage has any more (a moment during a write) included.
  it('ranks the same unfiltered (vectors first) as with a filter every passage passes', async () => {
    const { id: sourceId } = await store.sources.upsert({ name: 'copies', kind: 'web', baseUrl: 'https://copies.test/' });
    const shared = chunk(0, texts[1]!, 'Copy');
    await store.documents.replace(documentInput(sourceId, 'copy', 'Lara Hogan'), [shared], {
      model: model.id,
      vectors: new Map([[shared.contentHash, axisVector(dimensions, { 1: 1, 7: 0.1 })]]),
    });
    await insertOrphanVectors(
      store.database,
      model.id,
      new Map([[contentHash('no passage has this text'), axisVector(dimensions, { 0: 1, 1: 0.5 })]]),
    );
    try {
      const everything = { sources: ['guides', 'copies', 'gone'] };
      const all = await store.search.denseCandidates(model, query, { limit: 10 });
      expect(all).toEqual(await store.search.denseCandidates(model, query, { limit: 10, filters: everything }));
      expect(all).toHaveLength(texts.length + 1);
      for (const limit of [1, 2, 3]) {
        // A shorter list is the start of the longer one; filtered, a tie at its end may be broken otherwise.
        expect(await store.search.denseCandidates(model, query, { limit }), `limit ${limit}`).toEqual(all.slice(0, limit));
        const filtered = await store.search.denseCandidates(model, query, { limit, filters: everything });
        expect(filtered.map((candidate) => candidate.score)).toEqual(all.slice(0, limit).map((candidate) => candidate.score));
      }
      // The vector nearest the query has no passage: the list is a passage short of nothing.
      const [nearest] = await store.search.denseCandidates(model, query, { limit: 1 });
      expect((await store.search.passages([nearest!.chunkId])).map((passage) => passage.text)).toEqual([texts[0]]);
      // Both passages of the shared text are listed, next to each other, with one score.
      const [, second, third] = await store.search.denseCandidates(model, query, { limit: 3 });
      const copies = await store.search.passages([second!.chunkId, third!.chunkId]);
      expect(copies.map((passage) => [passage.text, passage.source])).toEqual([
        [texts[1], expect.any(String)],
        [texts[1], expect.any(String)],
      ]);
      expect(new Set(copies.map((passage) => passage.source))).toEqual(new Set(['guides', 'copies']));
      expect(second!.score).toBeCloseTo(third!.score, 6);
    } finally {
      await store.documents.tombstone(sourceId, 'copy');
      await store.database.query('delete from embeddings where content_hash = $1', [contentHash('no passage has this text')]);
      await store.database.query('delete from unindexed_embeddings where content_hash = $1', [contentHash('no passage has this text')]);
    }
  });

  it('deletes a source with the vectors only its passages had, and lists stay full with vectors left behind', async () => {
    const { id: sourceId } = await store.sources.upsert({ name: 'doomed', kind: 'web', baseUrl: 'https://doomed.test/' });
    const doomed = Array.from({ length: 12 }, (_, index) =>
      chunk(index, `A doomed passage number ${index} about feedback`, `Doomed ${index}`),
    );
    const shared = chunk(12, texts[0]!, 'Shared');
    await store.documents.replace(documentInput(sourceId, 'doomed', 'Nobody'), [...doomed, shared], {
      model: model.id,
      vectors: new Map([...doomed.map((item) => [item.contentHash, query] as const), [shared.contentHash, query]]),
    });
    const vectorsOf = async (hashes: string[]) =>
      (
        await store.database.query<{ count: number }>(
          `select (select count(*) from embeddings where content_hash = any($1::text[])) + (select count(*) from unindexed_embeddings where content_hash = any($1::text[])) as count`,
          [hashes],
        )
      )[0]!.count;
    expect(Number(await vectorsOf(doomed.map((item) => item.contentHash)))).toBe(12);
    expect(await store.sources.delete(sourceId)).toBe(true);
    expect(Number(await vectorsOf(doomed.map((item) => item.contentHash)))).toBe(0);
    // The text another source's passage shares keeps its vector.
    expect(Number(await vectorsOf([shared.contentHash]))).toBe(1);
    // More vectors without passages than the list's margin, nearest of all: the list still comes back full.
    const orphans = new Map(Array.from({ length: 12 }, (_, index) => [contentHash(`orphan ${index}`), query] as const));
    await insertOrphanVectors(store.database, model.id, orphans);
    try {
      for (const limit of [2, 4]) {
        const dense = await store.search.denseCandidates(model, query, { limit });
        expect(dense).toHaveLength(limit);
        expect((await store.search.candidateLists(model, query, terms, { limit })).dense).toEqual(dense);
      }
    } finally {
      for (const table of ['embeddings', 'unindexed_embeddings'])
        await store.database.query(`delete from ${table} where content_hash = any($1::text[])`, [[...orphans.keys()]]);
    }
  });

  // Mid-run, the index's table can be crowded while the table of waiting vectors fills the list:
  // the list is then full, and wrong, unless each table's crowding is judged apart.
  it('reruns joined when the indexed vectors are crowded and the waiting ones fill the list', async () => {
    await store.embeddings.indexPending();
    const orphans = new Map(Array.from({ length: 12 }, (_, index) => [contentHash(`indexed orphan ${index}`), query] as const));
    await insertOrphanVectors(store.database, model.id, orphans, 'embeddings');
    const { id: sourceId } = await store.sources.upsert({ name: 'waiting', kind: 'web', baseUrl: 'https://waiting.test/' });
    const far = Array.from({ length: 4 }, (_, index) => chunk(index, `A waiting passage far from the query ${index}`, `Far ${index}`));
    await store.documents.replace(documentInput(sourceId, 'waiting', 'Nobody'), far, {
      model: model.id,
      vectors: new Map(far.map((item, index) => [item.contentHash, axisVector(dimensions, { 2: 1, 0: 0.3, 6: index / 10 })])),
    });
    try {
      const everything = { sources: ['guides', 'waiting'] };
      for (const limit of [2, 4]) {
        const dense = await store.search.denseCandidates(model, query, { limit });
        const joined = await store.search.denseCandidates(model, query, { limit, filters: everything });
        expect(dense.map((candidate) => candidate.chunkId)).toEqual(joined.map((candidate) => candidate.chunkId));
        expect((await store.search.passages([dense[0]!.chunkId]))[0]!.text).toBe(texts[0]);
        expect((await store.search.candidateLists(model, query, terms, { limit })).dense).toEqual(dense);
      }
    } finally {
      await store.documents.tombstone(sourceId, 'waiting');
      await store.database.query('delete from embeddings where content_hash = any($1::text[])', [[...orphans.keys()]]);
    }
  });

  it('hydrates exactly the chunks asked for, in that order, with their citation fields', async () => {
    const dense = await store.search.denseCandidates(model, query, { limit: 10 });
    const wanted = [dense[2]!.chunkId, dense[0]!.chunkId];
    const passages = await store.search.passages([...wanted, wanted[0]!]);
    expect(passages.map((passage) => passage.chunkId)).toEqual([...wanted, wanted[0]]);
    expect(passages[1]).toMatchObject({
      documentId: dense[0]!.documentId,
      url: 'https://candidates.test/feedback/',
      title: 'Guide to feedback',
      author: 'Lara Hogan',
      source: 'guides',
      kind: 'article',
      heading: 'Guide › Part 0',
      headingPath: ['Guide', 'Part 0'],
      anchor: 'part 0',
      text: texts[0],
      frameworks: ['feedback'],
    });
    expect(new Date(passages[1]!.publishedAt!).toISOString()).toBe('2024-05-01T00:00:00.000Z');
    // The full lists are the candidates with those fields joined on.
    const hits = await store.search.dense(model, query, { limit: 10 });
    expect(hits.map(({ chunkId, score }) => ({ chunkId, score }))).toEqual(dense.map(({ chunkId, score }) => ({ chunkId, score })));
    expect(hits[0]).toMatchObject(passages[1]!);
    expect(await store.search.passages([])).toEqual([]);
  });

  it('leaves out chunks of documents no longer active', async () => {
    const { id: sourceId } = await store.sources.upsert({ name: 'gone', kind: 'web', baseUrl: 'https://gone.test/' });
    const text = 'A passage about feedback that will go away';
    await store.documents.replace(documentInput(sourceId, 'gone', 'Nobody'), [chunk(0, text, 'Gone')], {
      model: model.id,
      vectors: new Map([[contentHash(text), axisVector(dimensions, { 6: 1 })]]),
    });
    const [candidate] = await store.search.denseCandidates(model, axisVector(dimensions, { 6: 1 }), { limit: 1 });
    expect((await store.search.passages([candidate!.chunkId])).map((passage) => passage.text)).toEqual([text]);
    await store.documents.tombstone(sourceId, 'gone');
    expect(await store.search.passages([candidate!.chunkId])).toEqual([]);
  });

  it('scores keyword matches by the current statistics, read again once they change', async () => {
    const before = await store.search.keywordCandidates(queryTerms('zeppelin feedback'), { limit: 10 });
    const { id: sourceId } = await store.sources.upsert({ name: 'zeppelins', kind: 'web', baseUrl: 'https://zeppelins.test/' });
    for (let index = 0; index < 6; index += 1) {
      const text = `Zeppelin number ${index} gives feedback`;
      await store.documents.replace(documentInput(sourceId, `zeppelin-${index}`, 'Crew'), [chunk(0, text, 'Zeppelin')], {
        model: model.id,
        vectors: new Map(),
      });
    }
    await store.documents.refreshStatistics();
    // The same repository (statistics read before the ANALYZE) and a fresh one agree.
    const after = await store.search.keywordCandidates(queryTerms('zeppelin feedback'), { limit: 10 });
    const fresh = await new SearchRepository(store.database).keywordCandidates(queryTerms('zeppelin feedback'), { limit: 10 });
    expect(after).toEqual(fresh);
    expect(after).not.toEqual(before);
  });
});
