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

export interface LangChainStore {
  store: PGVectorStore;
  pool: pg.Pool;
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
  options: { initialize: boolean; maxConnections?: number },
): Promise<LangChainStore> {
  const pool = new pg.Pool({ connectionString, max: options.maxConnections ?? 10 });
  // An idle client whose database is dropped (force) as the pool ends must not crash the bench.
  pool.on('error', () => undefined);
  const config = { pool, tableName: langchainTable, distanceStrategy: 'cosine' as const };
  const store = options.initialize
    ? await PGVectorStore.initialize(new VectorsOnly(), { ...config, dimensions })
    : new PGVectorStore(new VectorsOnly(), { ...config, skipInitializationCheck: true });
  return {
    store,
    pool,
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
