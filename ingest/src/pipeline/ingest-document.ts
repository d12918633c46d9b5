import { contentHash } from '@cairn/core';
import { embedWithCache, type Embedder } from '@cairn/embed';
import type { ChunkInput, Store } from '@cairn/store';
import { keywordWeights } from '@cairn/text';
import { chunkOutline, defaultChunkOptions, type ChunkOptions } from '../chunk/chunk-outline.js';
import type { DocumentOutline, OutlineBlock } from '../outline.js';

export interface IngestDocumentInput {
  sourceId: string;
  /** Identity within the source: canonical URL, or a path in a directory source. */
  locator: string;
  outline: DocumentOutline;
  /** The conditional-GET validators of a crawled page, and its links (followed again when it answers 304). */
  validators?: { etag: string | null; lastModified: string | null; links?: readonly string[] | undefined };
}

export interface IngestDocumentResult {
  outcome: 'changed' | 'unchanged';
  documentId: string;
  chunksAdded: number;
  chunksRemoved: number;
  /** Estimated tokens sent to the embedder (0 when every vector came from the cache). */
  embeddingTokens: number;
}

/** Who wrote a passage and where it was published, as one line: `Will Larson · staffeng`. */
export function bylineOf(author: string | null | undefined, source: string | null | undefined): string {
  return [author, source].filter(Boolean).join(' · ');
}

/**
 * The text that is embedded for a chunk: its context (the heading path, which starts with
 * the page title, and the byline of author and source), then its text, so that a passage
 * deep in a page still carries what the page is about and who wrote it (contextual
 * retrieval, without a model). Its hash keys the cache.
 */
export function embeddingInput(heading: string, text: string, byline = ''): string {
  const context = [heading, byline].filter(Boolean).join('\n');
  return context ? `${context}\n\n${text}` : text;
}

/** The outline's blocks, starting with the title as a level-1 heading when they do not already. */
function withTitle(outline: DocumentOutline): OutlineBlock[] {
  const first = outline.blocks.find((block) => block.kind === 'heading');
  if (first?.kind === 'heading' && first.level === 1) return outline.blocks;
  return [{ kind: 'heading', level: 1, text: outline.title, anchor: null }, ...outline.blocks];
}

/**
 * Chunks, embeds (through the cache) and stores one document. A document whose
 * extracted content is unchanged is only marked as seen: no re-chunk, no re-embed.
 * The replacement is one transaction: never half old and half new.
 */
export async function ingestDocument(
  store: Store,
  embedder: Embedder,
  input: IngestDocumentInput,
  chunkOptions: ChunkOptions = defaultChunkOptions,
): Promise<IngestDocumentResult> {
  const { outline } = input;
  const documentHash = contentHash(
    JSON.stringify([
      outline.title,
      outline.author,
      outline.publishedAt,
      outline.url,
      outline.kind,
      outline.topics,
      outline.frameworks,
      outline.blocks,
    ]),
  );
  const validators = input.validators ?? { etag: null, lastModified: null };
  const state = await store.documents.findState(input.sourceId, input.locator);
  if (state && state.status === 'active' && state.contentHash === documentHash) {
    await store.documents.touch(state.id, validators);
    return { outcome: 'unchanged', documentId: state.id, chunksAdded: 0, chunksRemoved: 0, embeddingTokens: 0 };
  }
  const source = await store.sources.findById(input.sourceId);
  const byline = bylineOf(outline.author, source?.name);
  const chunks: (ChunkInput & { embeddingInput: string })[] = chunkOutline(withTitle(outline), chunkOptions).map((chunk) => {
    const heading = chunk.headingPath.join(' › ');
    const embedded = embeddingInput(heading, chunk.text, byline);
    return {
      ordinal: chunk.ordinal,
      headingPath: chunk.headingPath,
      heading,
      anchor: chunk.anchor,
      text: chunk.text,
      tokenCount: chunk.tokenCount,
      contentHash: contentHash(embedded),
      keywords: keywordWeights(heading, chunk.text, { title: outline.title, byline }),
      embeddingInput: embedded,
    };
  });
  const embedded = await embedWithCache(
    embedder,
    store.embeddings,
    chunks.map((chunk) => ({ contentHash: chunk.contentHash, text: chunk.embeddingInput })),
  );
  const result = await store.documents.replace(
    {
      sourceId: input.sourceId,
      locator: input.locator,
      url: outline.url,
      kind: outline.kind,
      title: outline.title,
      author: outline.author,
      publishedAt: outline.publishedAt,
      topics: outline.topics,
      frameworks: outline.frameworks,
      etag: validators.etag,
      lastModified: validators.lastModified,
      contentHash: documentHash,
      links: validators.links,
    },
    chunks,
    { model: embedder.model, vectors: embedded.computed },
  );
  return { outcome: 'changed', ...result, embeddingTokens: embedded.embeddedTokens };
}

/** Registers the embedder's model (and its HNSW index) before anything is embedded. */
export async function prepareEmbeddingModel(store: Store, embedder: Embedder): Promise<void> {
  await store.embeddings.registerModel(embedder.model, embedder.dimensions);
}
