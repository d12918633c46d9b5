import type { EmbeddingVector, VectorType } from '@cairn/core';
import type { Embedder, EmbedQueryOptions } from './embedder.js';

/**
 * An embedder that delegates to another and can be switched in one step: search holds it
 * while a new model's vectors are built, and switches when they are complete.
 */
export class SwitchingEmbedder implements Embedder {
  constructor(private current: Embedder) {}

  get model(): string {
    return this.current.model;
  }

  get dimensions(): number {
    return this.current.dimensions;
  }

  get vectorType(): VectorType {
    return this.current.vectorType ?? 'vector';
  }

  get meaningDimensions(): number | undefined {
    return this.current.meaningDimensions;
  }

  switchTo(embedder: Embedder): void {
    this.current = embedder;
  }

  embedDocuments(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<EmbeddingVector[]> {
    return this.current.embedDocuments(texts, options);
  }

  embedQuery(text: string, options?: EmbedQueryOptions): Promise<EmbeddingVector> {
    return this.current.embedQuery(text, options);
  }
}
