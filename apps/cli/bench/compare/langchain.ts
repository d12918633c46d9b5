import { PGVectorStore } from '@langchain/community/vectorstores/pgvector';
import { Document } from '@langchain/core/documents';
import { Embeddings } from '@langchain/core/embeddings';
import pg from 'pg';
import type { BenchDocument } from './corpus.js';

/** LangChain's table in the bench database (its own layout: id, text, metadata, embedding). */
export const langchainTable = 'langchain_bench';

/** The bench hands LangChain vectors, never texts to embed. */
class VectorsOnly extends Embeddings {
  constructor() {
    super({});
  }
  async embedDocuments(): Promise<number[][]> {
    throw new Error('the bench passes vectors to LangChain');
  }
  async embedQuery(): Promise<number[]> {
    throw new Error('the bench passes vectors to LangChain');
  }
}

/**
 * LangChain tuned as pgvector's documentation allows: the session settings Cairn uses
 * (iterative index scans, ef_search 100) and, from its troubleshooting section ("Why isn't a
 * query using an index?"), sequential scans discouraged, so that the HNSW index is used where
 * the planner would otherwise scan (1,536-dimension vectors are stored out of line, which
 * makes the planner cost the index scan above a sequential one).
 */
export const langchainTuning = 'set hnsw.iterative_scan = relaxed_order; set hnsw.ef_search = 100; set enable_seqscan = off;';

export interface LangChainStore {
  store: PGVectorStore;
  pool: pg.Pool;
  /** The last statement LangChain sent through its pool, to EXPLAIN the plan it got. */
  lastQuery(): { text: string; values: unknown[] } | undefined;
  close(): Promise<void>;
}

/**
 * LangChain's PGVectorStore as its documentation sets it up: `initialize` with the
 * dimensions (creates the extension and the table), cosine distance, its own `pg` pool with
 * default settings. `initialize: false` opens a store over the existing table.
 */
export async function openLangChainStore(
  connectionString: string,
  dimensions: number,
  options: { initialize: boolean; maxConnections?: number; tuned?: boolean },
): Promise<LangChainStore> {
  const pool = new pg.Pool({ connectionString, max: options.maxConnections ?? 10 });
  // An idle client whose database is dropped (force) as the pool ends must not crash the bench.
  pool.on('error', () => undefined);
  // Server Postgres: each of the pool's connections gets the tuning. (PGlite has one session
  // for everyone: BenchDatabase.langchainSession puts it in force there.)
  if (options.tuned) pool.on('connect', (client) => void client.query(langchainTuning).catch(() => undefined));
  let last: { text: string; values: unknown[] } | undefined;
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    if (typeof args[0] === 'string') last = { text: args[0], values: Array.isArray(args[1]) ? (args[1] as unknown[]) : [] };
    return query(...args);
  };
  const config = { pool, tableName: langchainTable, distanceStrategy: 'cosine' as const };
  const store = options.initialize
    ? await PGVectorStore.initialize(new VectorsOnly(), { ...config, dimensions })
    : new PGVectorStore(new VectorsOnly(), { ...config, skipInitializationCheck: true });
  return {
    store,
    pool,
    lastQuery: () => last,
    async close() {
      // `initialize` keeps one client checked out; end() releases it and ends the pool.
      await store.end();
    },
  };
}

/** LangChain's HNSW index (createHnswIndex: m 16, ef_construction 64, like Cairn's). */
export async function createLangChainIndex(store: PGVectorStore, dimensions: number): Promise<void> {
  await store.createHnswIndex({ dimensions });
}

/** The metadata a LangChain user would keep beside each passage: what Cairn returns with a hit. */
export function langchainDocuments(document: BenchDocument): Document[] {
  return document.chunks.map(
    (chunk) =>
      new Document({
        pageContent: chunk.text,
        metadata: {
          source: document.source,
          url: document.url,
          title: document.title,
          author: 'Bench',
          heading: chunk.heading,
          headingPath: chunk.headingPath,
          anchor: chunk.anchor,
        },
      }),
  );
}

/** The plan of LangChain's last search, in a few words: whether it used the HNSW index or scanned. */
export async function planOfLastSearch(langchain: LangChainStore, tuning: string | undefined): Promise<string> {
  const last = langchain.lastQuery();
  if (!last) return 'no search seen';
  const client = await langchain.pool.connect();
  try {
    if (tuning) await client.query(tuning);
    const [row] = (await client.query<{ 'QUERY PLAN': unknown }>(`explain (format json) ${last.text}`, last.values)).rows;
    const nodes: string[] = [];
    const walk = (node: { 'Node Type'?: string; 'Index Name'?: string; Plans?: unknown[] }) => {
      if (node['Node Type']) nodes.push(node['Index Name'] ? `${node['Node Type']} (${node['Index Name']})` : node['Node Type']);
      for (const child of node.Plans ?? []) walk(child as typeof node);
    };
    const plan = row?.['QUERY PLAN'];
    const top = (Array.isArray(plan) ? plan[0] : typeof plan === 'string' ? JSON.parse(plan)[0] : undefined) as
      { Plan?: unknown } | undefined;
    if (top?.Plan) walk(top.Plan as Parameters<typeof walk>[0]);
    return nodes.find((node) => /Index Scan/.test(node)) ?? nodes.find((node) => /Seq Scan/.test(node)) ?? nodes.join(' > ');
  } finally {
    if (tuning) await client.query('reset all').catch(() => undefined);
    client.release();
  }
}
