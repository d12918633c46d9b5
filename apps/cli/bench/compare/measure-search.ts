import type { Socket } from 'node:net';
import pg from 'pg';
import { denseSearchQuery, type SearchHit } from '@cairn/store';
import { sourceName, type BenchCorpus } from './corpus.js';
import type { BenchDatabase } from './databases.js';
import { langchainTuning, openLangChainStore, planOfLastSearch } from './langchain.js';
import { mean, percentile, timed } from './stats.js';

export const k = 10;
/** The source the filtered searches keep: one of ten, 10% of the chunks. */
export const filterSource = sourceName(3);

export interface SearchComparison {
  cairn: { p50: number; p95: number; bytes: number };
  /** LangChain as its users get it by default, with the plan its search got. */
  langchain: { p50: number; p95: number; bytes: number; plan: string };
  /** LangChain tuned as pgvector's documentation allows (langchainTuning), with its plan. */
  langchainTuned: { p50: number; p95: number; plan: string };
  /** Rounds in which each returned k rows (a sanity check: all should, unfiltered). */
  fullResults: { cairn: number; langchain: number; langchainTuned: number; rounds: number };
}

export interface IndexQuality {
  recall40: number;
  recall100: number;
  exactP50: number;
  hnswP50: number;
  queries: number;
}

export interface FilteredComparison {
  cairn: { share: number; p50: number };
  langchain: { share: number; p50: number };
  queries: number;
}

const model = (corpus: BenchCorpus) => ({ id: corpus.model, dimensions: corpus.dimensions });

/** Cairn's dense search, as the retriever runs it: the store's statement, then exact order by score. */
async function cairnSearch(
  database: BenchDatabase,
  corpus: BenchCorpus,
  vector: number[],
  filters?: { sources: string[] },
): Promise<SearchHit[]> {
  const hits = await database.store.search.dense(model(corpus), vector, { limit: k, ...(filters ? { filters } : {}) });
  return hits.sort((a, b) => b.score - a.score);
}

/** The socket under a connected pg client: its bytesRead counts what the database sent. */
const socketOf = (client: pg.Client | pg.PoolClient) => (client as unknown as { connection: { stream: Socket } }).connection.stream;

/**
 * p50/p95 of Cairn's dense search and of LangChain's similaritySearchVectorWithScore, the
 * same query vector and k, alternating one and the other each round (so that noise hits both
 * alike); then the bytes the database sends back for one search of each, read on the
 * socket of a `pg` connection (Cairn's statement sent as it is; on PGlite, Cairn reads the
 * same protocol messages in process).
 */
export async function compareSearch(
  database: BenchDatabase,
  corpus: BenchCorpus,
  queries: number[][],
  options: { rounds: number; warmUp: number },
): Promise<SearchComparison> {
  const langchain = await openLangChainStore(database.connectionString, corpus.dimensions, { initialize: false });
  const tuned = await openLangChainStore(database.connectionString, corpus.dimensions, { initialize: false, tuned: true });
  const cairnTimes: number[] = [];
  const langchainTimes: number[] = [];
  const tunedTimes: number[] = [];
  const fullResults = { cairn: 0, langchain: 0, langchainTuned: 0, rounds: 0 };
  let plans: { langchain: string; langchainTuned: string } | undefined;
  try {
    for (let round = 0; round < options.rounds + options.warmUp; round += 1) {
      const vector = queries[round % queries.length]!;
      await database.cairnSession();
      const cairn = await timed(() => cairnSearch(database, corpus, vector));
      await database.langchainSession();
      const other = await timed(() => langchain.store.similaritySearchVectorWithScore(vector, k));
      await database.langchainSession(true);
      const otherTuned = await timed(() => tuned.store.similaritySearchVectorWithScore(vector, k));
      if (round < options.warmUp) continue;
      cairnTimes.push(cairn.ms);
      langchainTimes.push(other.ms);
      tunedTimes.push(otherTuned.ms);
      fullResults.rounds += 1;
      if (cairn.value.length === k) fullResults.cairn += 1;
      if (other.value.length === k) fullResults.langchain += 1;
      if (otherTuned.value.length === k) fullResults.langchainTuned += 1;
    }
    await database.langchainSession();
    plans = { langchain: await planOfLastSearch(langchain, undefined), langchainTuned: await planOfLastSearch(tuned, langchainTuning) };
  } finally {
    await langchain.close();
    await tuned.close();
    await database.cairnSession();
  }
  const bytes = await responseBytes(database, corpus, queries.slice(0, 20));
  return {
    cairn: { p50: percentile(cairnTimes, 0.5), p95: percentile(cairnTimes, 0.95), bytes: bytes.cairn },
    langchain: {
      p50: percentile(langchainTimes, 0.5),
      p95: percentile(langchainTimes, 0.95),
      bytes: bytes.langchain,
      plan: plans.langchain,
    },
    langchainTuned: { p50: percentile(tunedTimes, 0.5), p95: percentile(tunedTimes, 0.95), plan: plans?.langchainTuned ?? 'not seen' },
    fullResults,
  };
}

async function responseBytes(
  database: BenchDatabase,
  corpus: BenchCorpus,
  queries: number[][],
): Promise<{ cairn: number; langchain: number }> {
  const client = new pg.Client({ connectionString: database.connectionString });
  await client.connect();
  const langchain = await openLangChainStore(database.connectionString, corpus.dimensions, { initialize: false, maxConnections: 1 });
  const langchainClient = await langchain.pool.connect();
  langchainClient.release();
  const cairn: number[] = [];
  const other: number[] = [];
  try {
    await client.query(`set hnsw.iterative_scan = relaxed_order; set hnsw.ef_search = 100`);
    for (const vector of queries) {
      const { sql, params } = denseSearchQuery(model(corpus), vector, { limit: k });
      let before = socketOf(client).bytesRead;
      await client.query(sql, params);
      cairn.push(socketOf(client).bytesRead - before);
      await database.langchainSession();
      before = socketOf(langchainClient).bytesRead;
      await langchain.store.similaritySearchVectorWithScore(vector, k);
      other.push(socketOf(langchainClient).bytesRead - before);
      await database.cairnSession();
    }
  } finally {
    await client.end();
    await langchain.close();
    await database.cairnSession();
  }
  return { cairn: mean(cairn), langchain: mean(other) };
}

/**
 * Recall@10 of Cairn's dense search through the HNSW index at ef_search 40 and 100 against
 * the same statement with index scans turned off (an exact scan), and the p50 of each.
 */
export async function indexQuality(database: BenchDatabase, corpus: BenchCorpus, queries: number[][]): Promise<IndexQuality> {
  const run = (vector: number[], settings: string) =>
    database.store.database.transaction(async (transaction) => {
      await transaction.exec(settings);
      const { sql, params } = denseSearchQuery(model(corpus), vector, { limit: k });
      return (await transaction.query<SearchHit>(sql, params)).map((hit) => hit.chunkId);
    });
  let found40 = 0;
  let found100 = 0;
  let expected = 0;
  const exactTimes: number[] = [];
  const hnswTimes: number[] = [];
  for (const vector of queries) {
    const exact = await timed(() => run(vector, 'set local enable_indexscan = off; set local enable_bitmapscan = off'));
    const hnsw40 = await run(vector, 'set local hnsw.ef_search = 40');
    const hnsw100 = await timed(() => run(vector, 'set local hnsw.ef_search = 100'));
    const truth = new Set(exact.value);
    expected += truth.size;
    found40 += hnsw40.filter((id) => truth.has(id)).length;
    found100 += hnsw100.value.filter((id) => truth.has(id)).length;
    exactTimes.push(exact.ms);
    hnswTimes.push(hnsw100.ms);
  }
  return {
    recall40: found40 / expected,
    recall100: found100 / expected,
    exactP50: percentile(exactTimes, 0.5),
    hnswP50: percentile(hnswTimes, 0.5),
    queries: queries.length,
  };
}

/** With a source filter that keeps 10% of the rows: how often each returns k rows. */
export async function compareFiltered(database: BenchDatabase, corpus: BenchCorpus, queries: number[][]): Promise<FilteredComparison> {
  const langchain = await openLangChainStore(database.connectionString, corpus.dimensions, { initialize: false });
  let cairnFull = 0;
  let langchainFull = 0;
  const cairnTimes: number[] = [];
  const langchainTimes: number[] = [];
  try {
    for (const vector of queries) {
      await database.cairnSession();
      const cairn = await timed(() => cairnSearch(database, corpus, vector, { sources: [filterSource] }));
      await database.langchainSession();
      const other = await timed(() => langchain.store.similaritySearchVectorWithScore(vector, k, { source: filterSource }));
      if (cairn.value.length === k && cairn.value.every((hit) => hit.source === filterSource)) cairnFull += 1;
      if (other.value.length === k && other.value.every(([document]) => document.metadata.source === filterSource)) langchainFull += 1;
      cairnTimes.push(cairn.ms);
      langchainTimes.push(other.ms);
    }
  } finally {
    await langchain.close();
    await database.cairnSession();
  }
  return {
    cairn: { share: cairnFull / queries.length, p50: percentile(cairnTimes, 0.5) },
    langchain: { share: langchainFull / queries.length, p50: percentile(langchainTimes, 0.5) },
    queries: queries.length,
  };
}
