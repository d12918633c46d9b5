import { estimateTokens, type EmbeddingVector } from '@cairn/core';
import type { Embedder } from './embedder.js';

/** Where vectors already computed are found, by model and content hash (the store implements it). */
export interface EmbeddingCache {
  findCached(model: string, hashes: readonly string[]): Promise<Map<string, EmbeddingVector>>;
}

export interface EmbedWithCacheResult {
  /** A vector for every requested hash. */
  vectors: Map<string, EmbeddingVector>;
  /** Only the vectors computed now (to be stored). */
  computed: Map<string, EmbeddingVector>;
  /** Texts sent to the embedder, and their estimated tokens. */
  embeddedTexts: number;
  embeddedTokens: number;
}

/**
 * Embeds the texts whose (model, content hash) is not in the cache, once per distinct
 * hash, and returns vectors for all of them: unchanged text is never embedded twice.
 */
export async function embedWithCache(
  embedder: Embedder,
  cache: EmbeddingCache,
  items: readonly { contentHash: string; text: string }[],
): Promise<EmbedWithCacheResult> {
  const distinct = new Map<string, string>();
  for (const item of items) if (!distinct.has(item.contentHash)) distinct.set(item.contentHash, item.text);
  const vectors = await cache.findCached(embedder.model, [...distinct.keys()]);
  const missing = [...distinct].filter(([hash]) => !vectors.has(hash));
  const computed = new Map<string, EmbeddingVector>();
  if (missing.length > 0) {
    const fresh = await embedder.embedDocuments(missing.map(([, text]) => text));
    missing.forEach(([hash], index) => {
      computed.set(hash, fresh[index]!);
      vectors.set(hash, fresh[index]!);
    });
  }
  return {
    vectors,
    computed,
    embeddedTexts: missing.length,
    embeddedTokens: missing.reduce((sum, [, text]) => sum + estimateTokens(text), 0),
  };
}
