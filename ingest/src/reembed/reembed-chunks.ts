import type { Embedder } from '@cairn/embed';
import type { Store } from '@cairn/store';
import { bylineOf, embeddingInput } from '../pipeline/ingest-document.js';

export interface ReembedProgress {
  model: string;
  embedded: number;
}

/**
 * Builds `embedder`'s vectors for every stored passage, from the text already in the
 * database (no re-crawl, no chat model: the sentence a passage was embedded with under
 * CAIRN_PASSAGE_CONTEXT=llm is stored on it), so each input is the one its content hash
 * was taken of; beside the vectors of the model search reads now. When every passage has
 * one, search switches to the new model in one step. Interrupted, it leaves the new model
 * `building` and search untouched; run again, it carries on where it stopped.
 */
export async function reembedChunks(
  store: Store,
  embedder: Embedder,
  options: { batchSize?: number; onProgress?: (progress: ReembedProgress) => void; signal?: AbortSignal } = {},
): Promise<{ embedded: number; activated: boolean }> {
  await store.embeddings.registerModel(embedder.model, embedder.dimensions, embedder.vectorType, embedder.meaningDimensions);
  let embedded = 0;
  for (;;) {
    if (options.signal?.aborted) return { embedded, activated: false };
    const batch = await store.embeddings.missing(embedder.model, options.batchSize ?? 256);
    if (batch.length === 0) break;
    const vectors = await embedder.embedDocuments(
      batch.map((passage) => embeddingInput(passage.heading, passage.text, bylineOf(passage.author, passage.source), passage.context)),
    );
    await store.embeddings.insert(embedder.model, new Map(batch.map((passage, index) => [passage.contentHash, vectors[index]!])));
    embedded += batch.length;
    options.onProgress?.({ model: embedder.model, embedded });
  }
  // Deferred indexing (PGlite): the new model's index is built in one go, before search reads it.
  await store.embeddings.indexPending();
  const model = await store.embeddings.findModel(embedder.model);
  if (model?.status === 'active') return { embedded, activated: false };
  await store.embeddings.activate(embedder.model);
  return { embedded, activated: true };
}
