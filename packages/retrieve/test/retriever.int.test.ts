import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contentHash } from '@cairn/core';
import { LocalHashEmbedder } from '@cairn/embed';
import { corpusCheckQuery, SearchRepository, Store, type Database } from '@cairn/store';
import { testRuntimes } from '@cairn/testing';
import { keywordWeights } from '@cairn/text';
import {
  CorpusTermWeights,
  defaultTuning,
  FeatureReranker,
  fittedRerankWeights,
  Retriever,
  type ListStatements,
  type Reranker,
} from '../src/index.js';

const embedder = new LocalHashEmbedder();

async function addDocument(store: Store, sourceId: string, locator: string, author: string, sections: [string, string][]) {
  const chunks = sections.map(([heading, text], ordinal) => ({
    ordinal,
    headingPath: [locator, heading],
    heading: `${locator} › ${heading}`,
    anchor: heading.toLowerCase().replace(/\s+/g, '-'),
    text,
    tokenCount: text.split(' ').length,
    contentHash: contentHash(`${heading}\n${text}`),
    keywords: keywordWeights(`${locator} › ${heading}`, text),
  }));
  const vectors = new Map(
    await Promise.all(
      chunks.map(async (chunk) => [chunk.contentHash, await embedder.embedQuery(`${chunk.heading}\n\n${chunk.text}`)] as const),
    ),
  );
  await store.documents.replace(
    {
      sourceId,
      locator,
      url: `https://example.test/${locator}/`,
      kind: 'article',
      title: locator,
      author,
      publishedAt: null,
      topics: [],
      frameworks: [],
      etag: null,
      lastModified: null,
      contentHash: contentHash(locator),
    },
    chunks,
    { model: embedder.model, vectors },
  );
  await store.documents.refreshStatistics();
}

describe.each(testRuntimes)('Retriever on $name', (runtime) => {
  let store: Store;
  let drop: () => Promise<void>;
  let retriever: Retriever;

  beforeAll(async () => {
    const created = await runtime.create();
    drop = created.drop;
    store = await Store.open({ databaseUrl: created.databaseUrl });
    await store.embeddings.registerModel(embedder.model, embedder.dimensions, embedder.vectorType);
    const blog = await store.sources.upsert({ name: 'blog', kind: 'web', baseUrl: 'https://example.test/' });
    const notes = await store.sources.upsert({ name: 'notes', kind: 'directory', baseUrl: 'file:///notes' });
    await addDocument(store, blog.id, 'feedback', 'Lara Hogan', [
      ['Observation', 'Feedback starts with an observation of behaviour, free of judgement.'],
      ['Impact', 'Then name the impact that behaviour had on the team or the work.'],
      ['Question', 'End feedback with a question or a request, to open a conversation.'],
      ['Practice', 'Practise feedback on small things so that feedback on big things is routine.'],
    ]);
    await addDocument(store, blog.id, 'sizing', 'Will Larson', [
      ['Managers', 'Teams of six to eight engineers per manager keep feedback loops healthy.'],
    ]);
    await addDocument(store, notes.id, 'sponsorship', 'Lara Hogan', [
      ['Sponsors', 'Sponsors advocate for people in rooms they are not in, unlike mentors who give feedback.'],
    ]);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('fuses dense and keyword lists and reports both ranks', async () => {
    retriever = new Retriever(store, embedder);
    const { results, timings } = await retriever.retrieve('how do I give feedback with an observation', { k: 3 });
    expect(results[0]).toMatchObject({
      title: 'feedback',
      heading: 'feedback › Observation',
      url: 'https://example.test/feedback/#observation',
      kind: 'article',
    });
    expect(results[0]!.ranks.vector).toBe(1);
    expect(results[0]!.ranks.keyword).toBe(1);
    for (const result of results) expect(result.ranks.vector !== null || result.ranks.keyword !== null).toBe(true);
    expect(timings.totalMs).toBeGreaterThan(0);
  });

  it('does not let one document fill every slot', async () => {
    const { results } = await new Retriever(store, embedder).retrieve('feedback', { k: 3 });
    const fromFeedback = results.filter((result) => result.title === 'feedback');
    expect(fromFeedback).toHaveLength(2);
    expect(results).toHaveLength(3);
  });

  it('filters by source name and by author', async () => {
    const retriever = new Retriever(store, embedder);
    const notesOnly = await retriever.retrieve('feedback', { k: 5, filters: { sources: ['notes'] } });
    expect(notesOnly.results.map((result) => result.source)).toEqual(['notes']);
    const larsonOnly = await retriever.retrieve('feedback', { k: 5, filters: { authors: ['Will Larson'] } });
    expect(larsonOnly.results.map((result) => result.title)).toEqual(['sizing']);
  });

  it('runs one list alone in dense or keyword mode', async () => {
    const retriever = new Retriever(store, embedder);
    const keyword = await retriever.retrieve('sponsors rooms', { k: 5, mode: 'keyword' });
    expect(keyword.results.every((result) => result.ranks.vector === null)).toBe(true);
    const dense = await retriever.retrieve('sponsors rooms', { k: 5, mode: 'dense' });
    expect(dense.results.every((result) => result.ranks.keyword === null)).toBe(true);
    expect(dense.results[0]!.title).toBe('sponsorship');
  });

  it('records the page and fused ranks, and the reranker reorders the fused top and records its ranks', async () => {
    const plain = await new Retriever(store, embedder).retrieve('feedback observation', { k: 3 });
    plain.results.forEach((result) => {
      expect(result.ranks.fused).toBeGreaterThan(0);
      expect(result.ranks.page).toBeGreaterThan(0);
      expect(result.ranks.reranked).toBeNull();
    });
    // A reranker that reverses the candidates: the results follow its order, not the fused one.
    const reversing: Reranker = { name: 'reverse', rerank: async (_question, candidates) => [...candidates].reverse() };
    const reranking = new Retriever(store, embedder, 'hybrid', { reranker: reversing });
    expect(reranking.reranker).toBe('reverse');
    const { results, timings } = await reranking.retrieve('feedback observation', { k: 3, perDocument: 10 });
    const reranks = results.map((result) => result.ranks.reranked!);
    expect(reranks).toEqual([...reranks].sort((a, b) => a - b));
    expect(results[0]!.ranks.fused).toBeGreaterThan(results.at(-1)!.ranks.fused!);
    expect(timings.rerankMs).toBeGreaterThanOrEqual(0);
    // Single-list modes and rerank: false leave the reranker out.
    const keyword = await reranking.retrieve('feedback observation', { k: 3, mode: 'keyword' });
    expect(keyword.results.every((result) => result.ranks.reranked === null)).toBe(true);
    const skipped = await reranking.retrieve('feedback observation', { k: 3, rerank: false });
    expect(skipped.results.map((result) => result.chunkId)).toEqual(plain.results.map((result) => result.chunkId));
  });
  /** The rows each list call returned, and the chunk ids each hydration asked for, during `work`. */
  async function watchingTheStore<T>(work: () => Promise<T>): Promise<{ value: T; listRows: object[]; hydrated: string[][] }> {
    const spies = [
      vi.spyOn(store.search, 'denseCandidates'),
      vi.spyOn(store.search, 'keywordCandidateList'),
      vi.spyOn(store.search, 'candidateLists'),
    ];
    const passages = vi.spyOn(store.search, 'passages');
    try {
      const value = await work();
      const listRows: object[] = [];
      for (const spy of spies)
        for (const result of spy.mock.results) {
          const rows = (await result.value) as object[] | { dense?: object[]; keyword: object[] };
          listRows.push(...(Array.isArray(rows) ? rows : [...(rows.dense ?? []), ...rows.keyword]));
        }
      return { value, listRows, hydrated: passages.mock.calls.map(([chunkIds]) => [...chunkIds]) };
    } finally {
      for (const spy of [...spies, passages]) spy.mockRestore();
    }
  }

  it.each(['one', 'two'] as ListStatements[])(
    'lists carry no text; one statement loads the text of exactly the passages returned (lists in %s statement(s))',
    async (listStatements) => {
      const retriever = new Retriever(store, embedder, 'hybrid', { listStatements, reranker: new FeatureReranker() });
      expect(retriever.listStatements).toBe(listStatements);
      const { value, listRows, hydrated } = await watchingTheStore(() =>
        retriever.retrieve('how do I give feedback with an observation', { k: 3 }),
      );
      expect(listRows.length).toBeGreaterThan(3);
      for (const row of listRows) expect(Object.keys(row).sort()).toEqual(['chunkId', 'documentId', 'kind', 'score']);
      expect(hydrated).toEqual([value.results.map((result) => result.chunkId)]);
      expect(value.results[0]).toMatchObject({
        title: 'feedback',
        author: 'Lara Hogan',
        source: 'blog',
        heading: 'feedback › Observation',
        headingPath: ['feedback', 'Observation'],
        anchor: 'observation',
        url: 'https://example.test/feedback/#observation',
        text: 'Feedback starts with an observation of behaviour, free of judgement.',
      });
      expect(value.timings.hydrateMs).toBeGreaterThan(0);
    },
  );

  it('gives the same results with the lists in one statement or two', async () => {
    for (const query of ['feedback', 'sponsors rooms', 'teams of six to eight engineers', 'zeppelin'])
      for (const filters of [undefined, { sources: ['blog'] }, { authors: ['Lara Hogan'] }]) {
        const [one, two] = await Promise.all(
          (['one', 'two'] as const).map((listStatements) =>
            new Retriever(store, embedder, 'hybrid', { listStatements }).retrieve(query, { k: 4, filters }),
          ),
        );
        expect(one!.results).toEqual(two!.results);
      }
  });

  it("weighs the query's terms by their rarity in the corpus, and gives the weights to the embedder", async () => {
    const weigh = new CorpusTermWeights(0.5).weigher(await store.search.currentTermStatistics());
    // "feedback" is in most passages; "sponsor" in one.
    expect(weigh('feedback')).toBeGreaterThan(0);
    expect(weigh('feedback')).toBeLessThan(weigh('sponsor'));
    const asked: ((term: string) => number)[] = [];
    const watching = Object.assign(Object.create(embedder) as typeof embedder, {
      embedQuery: (text: string, options?: { termWeight?: (term: string) => number }) => {
        if (options?.termWeight) asked.push(options.termWeight);
        return embedder.embedQuery(text);
      },
    });
    await new Retriever(store, watching).retrieve('feedback from sponsors', { k: 3 });
    expect(asked).toHaveLength(1);
    expect(asked[0]!('sponsor')).toBeCloseTo(weigh('sponsor'), 10);
    // Exponent 0: the query is embedded as it is.
    await new Retriever(store, watching, 'hybrid', { tuning: { ...defaultTuning, queryTermExponent: 0 } }).retrieve('feedback', { k: 3 });
    expect(asked).toHaveLength(1);
  });

  it('normalises page evidence by page length: a long page needs more of its passages near the question', async () => {
    // "feedback" has four passages on the feedback page and one on each of two short pages.
    const ranked = async (pageLengthExponent: number) => {
      const tuning = { ...defaultTuning, pageLengthExponent };
      const { results } = await new Retriever(store, embedder, 'hybrid', { tuning }).retrieve('feedback loops mentors', {
        k: 6,
        perDocument: 6,
      });
      return new Map(results.map((result) => [result.title, result.ranks.page!]));
    };
    const counted = await ranked(0);
    const normalised = await ranked(1);
    expect(normalised.get('feedback')!).toBeGreaterThanOrEqual(counted.get('feedback')!);
    expect(Math.min(normalised.get('sizing')!, normalised.get('sponsorship')!)).toBeLessThanOrEqual(
      Math.min(counted.get('sizing')!, counted.get('sponsorship')!),
    );
  });

  it('sends the lists as one statement on PGlite with a local model, as two otherwise', () => {
    const local = new Retriever(store, embedder);
    expect(local.listStatements).toBe(runtime.name === 'pglite' ? 'one' : 'two');
    // A remote model's call leaves time for the keyword list, which one statement would spend waiting.
    const remote = new Retriever(store, Object.assign(Object.create(embedder) as typeof embedder, { model: 'text-embedding-3-small' }));
    expect(remote.listStatements).toBe('two');
    expect(new Retriever(store, embedder, 'hybrid', { listStatements: 'two' }).listStatements).toBe('two');
  });

  it('reranks before loading any text when the reranker reads none, and loads its candidates first when it does', async () => {
    expect(new FeatureReranker().readsText).toBe(false);
    expect(new FeatureReranker(undefined, { ...fittedRerankWeights, phrase: 0.5 }).readsText).toBe(true);
    let seen: string[] = [];
    const rerank: Reranker['rerank'] = async (_question, candidates) => {
      seen = candidates.map((candidate) => candidate.text);
      return [...candidates].reverse();
    };
    const rankOnly = new Retriever(store, embedder, 'hybrid', { reranker: { name: 'ranks', readsText: false, rerank } });
    const ranked = await watchingTheStore(() => rankOnly.retrieve('feedback observation', { k: 3, perDocument: 10 }));
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.every((text) => text === '')).toBe(true);
    expect(ranked.hydrated).toEqual([ranked.value.results.map((result) => result.chunkId)]);
    expect(ranked.value.results.every((result) => result.text.length > 0 && result.ranks.reranked !== null)).toBe(true);

    // A reranker that does not say reads text: it gets the fused top with its text, and nothing more is loaded after.
    const reading = new Retriever(store, embedder, 'hybrid', { reranker: { name: 'reads', rerank } });
    const read = await watchingTheStore(() => reading.retrieve('feedback observation', { k: 3, perDocument: 10 }));
    expect(seen.every((text) => text.length > 0)).toBe(true);
    expect(read.hydrated).toHaveLength(1);
    expect(read.hydrated[0]).toHaveLength(seen.length);
    expect(read.value.results.map((result) => result.chunkId)).toEqual(ranked.value.results.map((result) => result.chunkId));
    expect(read.value.results).toEqual(ranked.value.results);
  });

  it('gives the slot of a passage whose page went away after the lists to the next one', async () => {
    const retriever = new Retriever(store, embedder);
    const before = await retriever.retrieve('feedback', { k: 3 });
    const vanished = before.results[0]!.chunkId;
    const passages = store.search.passages.bind(store.search);
    const spy = vi
      .spyOn(store.search, 'passages')
      .mockImplementation(async (chunkIds) => (await passages(chunkIds)).filter((passage) => passage.chunkId !== vanished));
    try {
      const { results } = await retriever.retrieve('feedback', { k: 3 });
      expect(results).toHaveLength(3);
      expect(results.map((result) => result.chunkId)).not.toContain(vanished);
      // The others keep their slots.
      expect(results.map((result) => result.chunkId)).toEqual(
        expect.arrayContaining(before.results.slice(1).map((result) => result.chunkId)),
      );
      expect(results.every((result) => result.text.length > 0)).toBe(true);
      expect(spy.mock.calls.length).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });
  /** The store over a database that records each statement's text while `recorded.on` is set. */
  function recordingStore(options: { memoryMaxPassages?: number } = {}): { store: Store; recorded: { on: boolean; statements: string[] } } {
    const recorded = { on: false, statements: [] as string[] };
    const database = store.database;
    const recording: Database = {
      runtime: database.runtime,
      query: async (sql, params, options) => {
        if (recorded.on) recorded.statements.push(sql);
        return database.query(sql, params, options);
      },
      exec: (sql) => database.exec(sql),
      transaction: (work) => database.transaction(work),
      session: (work) => database.session(work),
      close: async () => {},
    };
    return { store: new Store(recording, { vectorIndexing: store.vectorIndexing, ...options }), recorded };
  }

  it.each(['one', 'two'] as ListStatements[])(
    "reads the statistics and the pages' lengths once, not at each retrieval (lists in %s statement(s))",
    async (listStatements) => {
      // The statements alone (the corpus held in memory needs fewer: the next test).
      const { store: watched, recorded } = recordingStore({ memoryMaxPassages: 0 });
      const retriever = new Retriever(watched, embedder, 'hybrid', { listStatements, reranker: new FeatureReranker() });
      const first = await retriever.retrieve('how do I give feedback with an observation', { k: 3 });
      recorded.on = true;
      const again = await retriever.retrieve('how do I give feedback with an observation', { k: 3 });
      await retriever.retrieve('feedback from mentors and sponsors', { k: 3 });
      recorded.on = false;
      expect(again.results).toEqual(first.results);
      // Each retrieval: the lists (one statement or two) and the text of the passages returned.
      const perRetrieval = listStatements === 'one' ? 2 : 3;
      expect(recorded.statements).toHaveLength(2 * perRetrieval);
      expect(recorded.statements.filter((sql) => sql.includes('pg_stats') || /group by c.document_id/.test(sql))).toEqual([]);
      // The same results as a retriever over a store that has read nothing yet.
      const fresh = recordingStore().store;
      expect(
        (
          await new Retriever(fresh, embedder, 'hybrid', { listStatements, reranker: new FeatureReranker() }).retrieve(
            'how do I give feedback with an observation',
            { k: 3 },
          )
        ).results,
      ).toEqual(first.results);
    },
  );

  it.each(['one', 'two'] as ListStatements[])(
    'holds the corpus in memory once the database is still: then one statement a retrieval, the same results (lists in %s statement(s))',
    async (listStatements) => {
      const { store: watched, recorded } = recordingStore();
      const retriever = new Retriever(watched, embedder, 'hybrid', { listStatements, reranker: new FeatureReranker() });
      const statementsOnly = new Retriever(recordingStore({ memoryMaxPassages: 0 }).store, embedder, 'hybrid', {
        listStatements,
        reranker: new FeatureReranker(),
      });
      const questions = ['how do I give feedback with an observation', 'feedback from mentors and sponsors', 'teams of six to eight'];
      for (const question of questions) await retriever.retrieve(question, { k: 3 });
      await watched.search.memorySettled();
      expect(watched.search.holdsCorpus(embedder.model)).toBe(true);
      expect(watched.search.heldPassages(embedder.model)).toBe(6);
      for (const question of [...questions, 'zeppelin', 'sponsors rooms']) {
        recorded.on = true;
        recorded.statements = [];
        const held = await retriever.retrieve(question, { k: 3 });
        recorded.on = false;
        // One statement, which reads the corpus's version: both lists are ranked in memory, the passages loaded from it.
        expect(recorded.statements, question).toHaveLength(1);
        expect(recorded.statements[0]).toBe(corpusCheckQuery().sql);
        const statements = await statementsOnly.retrieve(question, { k: 3 });
        expect(
          held.results.map((result) => result.chunkId),
          question,
        ).toEqual(statements.results.map((result) => result.chunkId));
        expect(held.results.map((result) => result.text)).toEqual(statements.results.map((result) => result.text));
        held.results.forEach((result, index) => expect(result.score).toBeCloseTo(statements.results[index]!.score, 6));
      }
    },
  );

  it('keeps a bounded set of statements prepared, whatever k and filters searches ask for', async () => {
    // Only PGlite can count them: server Postgres keeps them per pooled connection.
    if (runtime.name !== 'pglite') return;
    const retriever = new Retriever(store, embedder);
    for (let k = 1; k <= 50; k += 1)
      for (const filters of [undefined, { sources: ['blog'] }, { authors: ['Lara Hogan'] }])
        for (const mode of ['hybrid', 'dense', 'keyword'] as const) await retriever.retrieve(`feedback ${k}`, { k, filters, mode });
    // Ingestion's statements are prepared too (a page's state and cached vectors; its replacement, as cairn_tx_N): not search's.
    const [{ count }] = (await store.database.query<{ count: number }>(
      `select count(*)::int as count from pg_prepared_statements
       where name not like 'cairn_tx_%' and statement not like '%from documents where source_id = $1 and locator = $2%'
         and statement not like '%from unnest($2::text[]) as h(content_hash)%'`,
    )) as [{ count: number }];
    // Unfiltered searches of up to 64 candidates a list: 5 limits × (both lists, dense, keyword, the keyword list with
    // page-level evidence, as hybrid search sends it in two statements), the read of the corpus's version, which runs
    // alone while the corpus is held in memory, and the passages' text.
    expect(count).toBeGreaterThan(1);
    expect(count).toBeLessThanOrEqual(5 * 4 + 2);
  });

  // Last, as it changes the corpus: a page grows and a new one comes.
  it('weighs the query and measures the pages by the new statistics once ingestion has refreshed them', async () => {
    const asked: ((term: string) => number)[] = [];
    const watching = Object.assign(Object.create(embedder) as typeof embedder, {
      embedQuery: (text: string, options?: { termWeight?: (term: string) => number }) => {
        if (options?.termWeight) asked.push(options.termWeight);
        return embedder.embedQuery(text);
      },
    });
    const retriever = new Retriever(store, watching);
    const before = await retriever.retrieve('teams of six to eight engineers per manager', { k: 3 });
    const sizing = before.results.find((result) => result.title === 'sizing')!.documentId;
    expect((await store.search.pageLengths([sizing])).get(sizing)).toBe(1);
    const statisticsBefore = await store.search.currentTermStatistics();

    const blog = (await store.sources.list()).find((source) => source.name === 'blog')!;
    await addDocument(store, blog.id, 'sizing', 'Will Larson', [
      ['Managers', 'Teams of six to eight engineers per manager keep feedback loops healthy.'],
      ['Span', 'A manager of more than eight engineers stops coaching and starts routing.'],
      ['Growth', 'Split a team before it reaches ten engineers.'],
    ]);
    await addDocument(store, blog.id, 'quokka', 'Will Larson', [['Quokka', 'Quokka teams name one engineer per manager.']]);
    asked.length = 0;
    await retriever.retrieve('teams of six to eight engineers per manager', { k: 3 });
    const statisticsAfter = await store.search.currentTermStatistics();
    expect(statisticsAfter).not.toBe(statisticsBefore);
    expect(statisticsAfter.fingerprint).toBe((await new SearchRepository(store.database).currentTermStatistics()).fingerprint);
    // The last embedding of the query used the new statistics' weights.
    const expected = new CorpusTermWeights(defaultTuning.queryTermExponent).weigher(statisticsAfter);
    const stale = new CorpusTermWeights(defaultTuning.queryTermExponent).weigher(statisticsBefore);
    for (const term of ['team', 'engin', 'manag']) {
      expect(Math.abs(stale(term) - expected(term))).toBeGreaterThan(1e-6);
      expect(asked.at(-1)!(term)).toBeCloseTo(expected(term), 10);
    }
    expect((await store.search.pageLengths([sizing])).get(sizing)).toBe(3);
  });
});
