/**
 * Turns texts into vectors. Implementations: the local semantic embedder (the default),
 * the local hashing embedder, OpenAI embeddings, and SwitchingEmbedder (which delegates to
 * one of them). Each runs the
 * same contract suite (packages/embed/test/embedder.contract.int.test.ts).
 */
import type { EmbeddingVector, VectorType } from '@cairn/core';

export interface Embedder {
  /** The versioned model id stored beside every vector (for example `local-hash-v1`). */
  readonly model: string;
  readonly dimensions: number;
  /**
   * The pgvector type of its vectors: `vector` (dense arrays; the default when absent) or
   * `sparsevec` (SparseEmbedding, the non-zero entries of a vector of `dimensions`).
   */
  readonly vectorType?: VectorType;
  /**
   * How many of the vector's first dimensions are a part of their own that carries the
   * text's meaning (local-semantic-v2: 100 dimensions of word vectors before its lexical
   * entries), when there is one. The store then indexes that part alone, and the dense list
   * ranks the passages that part and keyword search find by the cosine of the whole vectors
   * (denseSearchQuery in @cairn/store). Absent: the whole vector is indexed.
   */
  readonly meaningDimensions?: number | undefined;
  /** Embeds passages; returns one unit-length vector per text, in order. */
  embedDocuments(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<EmbeddingVector[]>;
  /** Embeds a search query. */
  embedQuery(text: string, options?: EmbedQueryOptions): Promise<EmbeddingVector>;
}

export interface EmbedQueryOptions {
  signal?: AbortSignal | undefined;
  /**
   * How much each term of the query counts against the others (a factor on the weight the
   * embedder gives it), by the term as keyword search spells it (`analyzeText`: normalised
   * and stemmed). Retrieval passes the corpus's inverse document frequency here, so that
   * words every page of the corpus uses ("engineer" in a corpus about engineers) weigh less
   * in the query. Embedders that weigh words themselves (the local ones) apply it; a remote
   * model ignores it.
   */
  termWeight?: ((term: string) => number) | undefined;
}
