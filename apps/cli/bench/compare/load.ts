import { hnswIndexName, Store } from '@cairn/store';
import { sourceCount, sourceName, type BenchCorpus } from './corpus.js';
import { createLangChainIndex, langchainDocuments, openLangChainStore } from './langchain.js';

export interface LoadResult {
  chunks: number;
  seconds: number;
  /** Seconds to build the HNSW index after the rows (0 when it was in place while they were stored). */
  indexSeconds: number;
}

const seconds = (started: number) => (performance.now() - started) / 1000;

/**
 * Stores the corpus through Cairn's store, one document (20 chunks, with their keyword
 * postings and vectors) per transaction, as ingestion does. `seconds` counts the keyword
 * weights and the store's calls, not the making of the synthetic passages and vectors. With `indexAfter`, the model's
 * HNSW index is dropped first and built once the rows are in (a bulk load); otherwise the
 * store keeps it up to date as in a running service: row by row on server Postgres, and on
 * PGlite with the vectors kept out of it until the load ends (VectorIndexing), the
 * indexing then counted in `seconds`.
 */
export async function loadCairn(
  service: Store,
  corpus: BenchCorpus,
  options: { indexAfter: boolean; deadline?: number },
): Promise<LoadResult | { stoppedAt: number; seconds: number }> {
  // A bulk load writes straight into `embeddings`, which has no index until the end.
  const store = options.indexAfter ? new Store(service.database, { vectorIndexing: 'immediate' }) : service;
  await store.embeddings.registerModel(corpus.model, corpus.dimensions);
  if (options.indexAfter) await store.database.exec(`drop index if exists ${hnswIndexName(corpus.model)}`);
  const sources = [];
  for (let index = 0; index < sourceCount; index += 1) {
    sources.push((await store.sources.upsert({ name: sourceName(index), kind: 'web', baseUrl: `https://${sourceName(index)}.test/` })).id);
  }
  let storing = 0;
  for (let index = 0; index < corpus.documentCount; index += 1) {
    if (options.deadline && performance.now() > options.deadline) return { stoppedAt: index * 20, seconds: storing };
    const document = corpus.document(index);
    // The timer covers all of Cairn's own work: the keyword weights it computes for each
    // passage (LangChain has none to compute) as well as the store's calls.
    const started = performance.now();
    const chunks = document.chunks.map((chunk) => ({ ...chunk, tokenCount: 100, keywords: corpus.keywords(chunk) }));
    const vectors = { model: corpus.model, vectors: new Map(document.chunks.map((chunk) => [chunk.contentHash, chunk.vector])) };
    await store.documents.replace(
      {
        sourceId: sources[index % sourceCount]!,
        locator: document.locator,
        url: document.url,
        kind: 'article',
        title: document.title,
        author: 'Bench',
        publishedAt: null,
        topics: [],
        frameworks: [],
        etag: null,
        lastModified: null,
        contentHash: String(index),
      },
      chunks,
      vectors,
    );
    storing += seconds(started);
  }
  let loadSeconds = storing;
  let indexSeconds = 0;
  if (options.indexAfter) {
    const indexStarted = performance.now();
    await store.embeddings.registerModel(corpus.model, corpus.dimensions);
    indexSeconds = seconds(indexStarted);
  } else {
    // A run's end: where vectors were kept out of the index while it ran (PGlite's deferred
    // indexing), they go into it now, and that is part of storing them.
    const indexStarted = performance.now();
    await store.embeddings.indexPending();
    loadSeconds += seconds(indexStarted);
  }
  await store.documents.refreshStatistics();
  return { chunks: corpus.size, seconds: loadSeconds, indexSeconds };
}

/**
 * Stores the same passages and vectors in LangChain's table with PGVectorStore.addVectors,
 * one call per document of 20 chunks (as Cairn stores them); its HNSW index (createHnswIndex)
 * in place before the rows, or built after them with `indexAfter`.
 */
export async function loadLangChain(
  connectionString: string,
  corpus: BenchCorpus,
  options: { indexAfter: boolean; deadline?: number },
): Promise<LoadResult | { stoppedAt: number; seconds: number }> {
  const langchain = await openLangChainStore(connectionString, corpus.dimensions, { initialize: true });
  try {
    if (!options.indexAfter) await createLangChainIndex(langchain.store, corpus.dimensions);
    let storing = 0;
    for (let index = 0; index < corpus.documentCount; index += 1) {
      if (options.deadline && performance.now() > options.deadline) return { stoppedAt: index * 20, seconds: storing };
      const document = corpus.document(index);
      const vectors = document.chunks.map((chunk) => chunk.vector);
      const documents = langchainDocuments(document);
      const started = performance.now();
      await langchain.store.addVectors(vectors, documents);
      storing += seconds(started);
    }
    const loadSeconds = storing;
    let indexSeconds = 0;
    if (options.indexAfter) {
      const indexStarted = performance.now();
      await createLangChainIndex(langchain.store, corpus.dimensions);
      indexSeconds = seconds(indexStarted);
    }
    await langchain.pool.query('analyze langchain_bench');
    return { chunks: corpus.size, seconds: loadSeconds, indexSeconds };
  } finally {
    await langchain.close();
  }
}
