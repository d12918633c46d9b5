/**
 * Turns texts into vectors. Implementations: the local semantic embedder (the default),
 * the local hashing embedder, OpenAI embeddings, and SwitchingEmbedder (which delegates to
 * one of them). Each runs the
 * same contract suite (packages/embed/test/embedder.contract.int.test.ts).
 */
export interface Embedder {
  /** The versioned model id stored beside every vector (for example `local-hash-v1`). */
  readonly model: string;
  readonly dimensions: number;
  /** Embeds passages; returns one unit-length vector per text, in order. */
  embedDocuments(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<number[][]>;
  /** Embeds a search query. */
  embedQuery(text: string, options?: { signal?: AbortSignal }): Promise<number[]>;
}
