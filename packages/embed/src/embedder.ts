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
  /** Embeds passages; returns one unit-length vector per text, in order. */
  embedDocuments(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<EmbeddingVector[]>;
  /** Embeds a search query. */
  embedQuery(text: string, options?: { signal?: AbortSignal }): Promise<EmbeddingVector>;
}
