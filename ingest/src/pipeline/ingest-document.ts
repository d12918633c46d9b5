import { contentHash } from '@cairn/core';
import { embedWithCache, type Embedder } from '@cairn/embed';
import type { ChunkInput, Store } from '@cairn/store';
import { keywordWeights } from '@cairn/text';
import { chunkOutline, defaultChunkOptions, type ChunkOptions, type OutlineChunk } from '../chunk/chunk-outline.js';
import { boundedOutline, type DocumentOutline, type OutlineBlock } from '../outline.js';
import { passageHash, type PassageContextWriter } from './passage-context.js';

export interface IngestDocumentInput {
  sourceId: string;
  /** The source's name (the passages' byline), when the caller holds its record: else it is read, once a changed page. */
  sourceName?: string | undefined;
  /** Identity within the source: canonical URL, or a path in a directory source. */
  locator: string;
  outline: DocumentOutline;
  /** The conditional-GET validators of a crawled page, and its links (followed again when it answers 304). */
  validators?: { etag: string | null; lastModified: string | null; links?: readonly string[] | undefined };
}

export interface IngestDocumentOptions {
  chunkOptions?: ChunkOptions | undefined;
  /**
   * Writes the sentence that situates each passage in its page (CAIRN_PASSAGE_CONTEXT=llm),
   * embedded and keyword-indexed with it; absent, passages carry title, headings and byline only.
   */
  passageContext?: PassageContextWriter | undefined;
  /** Cancels the writer's call (a shutdown, a cancelled run): its passages are stored without a sentence. */
  signal?: AbortSignal | undefined;
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
 * retrieval, without a model). With CAIRN_PASSAGE_CONTEXT=llm the context ends with the
 * chat model's sentence situating the passage in its page. Its hash keys the cache.
 */
export function embeddingInput(heading: string, text: string, byline = '', passageContext: string | null = null): string {
  const context = [heading, byline, passageContext].filter(Boolean).join('\n');
  return context ? `${context}\n\n${text}` : text;
}

/** The outline's blocks, starting with the title as a level-1 heading when they do not already. */
function withTitle(outline: DocumentOutline): OutlineBlock[] {
  const first = outline.blocks.find((block) => block.kind === 'heading');
  if (first?.kind === 'heading' && first.level === 1) return outline.blocks;
  return [{ kind: 'heading', level: 1, text: outline.title, anchor: null }, ...outline.blocks];
}

/** The page's headings in reading order, without the title: the outline a passage-context writer reads. */
function outlineHeadings(outline: DocumentOutline): string[] {
  return outline.blocks.flatMap((block) => (block.kind === 'heading' && block.text !== outline.title ? [block.text] : []));
}

/**
 * The sentence of each chunk that situates it in its page: the one stored for its passage
 * hash and the writer's model when there is one, else asked of the writer (the page's new
 * passages together, in one call of the writer) and stored. Null where the writer could
 * not write one (a failed or cancelled call, an unusable reply): that passage goes without.
 */
async function situatePassages(
  store: Store,
  writer: PassageContextWriter,
  outline: DocumentOutline,
  passages: readonly { heading: string; chunk: OutlineChunk }[],
  signal: AbortSignal | undefined,
): Promise<(string | null)[]> {
  const hashes = passages.map(({ heading, chunk }) => passageHash(outline.title, heading, chunk.text));
  const known = await store.passageContexts.find(writer.model, hashes);
  // One request for the page's passages that have no sentence yet (a passage repeated in the page, once).
  const missing = [...new Map(passages.map((passage, index) => [hashes[index]!, passage] as const)).entries()].filter(
    ([hash]) => !known.has(hash),
  );
  if (missing.length > 0) {
    let written: readonly (string | null)[] = [];
    try {
      written = await writer.describe(
        { title: outline.title, headings: outlineHeadings(outline) },
        missing.map(([, { heading, chunk }]) => ({ heading, text: chunk.text })),
        { signal },
      );
    } catch {
      // A writer is not to throw (it answers null where it could not); one that does leaves these passages without.
    }
    const fresh = new Map<string, string>();
    missing.forEach(([hash], index) => {
      const sentence = typeof written[index] === 'string' ? written[index].replace(/\s+/g, ' ').trim() : '';
      if (sentence) fresh.set(hash, sentence);
    });
    await store.passageContexts.insert(writer.model, fresh);
    for (const [hash, sentence] of fresh) known.set(hash, sentence);
  }
  return hashes.map((hash) => known.get(hash) ?? null);
}

/**
 * Chunks, embeds (through the cache) and stores one document. A document whose
 * extracted content is unchanged is only marked as seen: no re-chunk, no re-embed.
 * The replacement is one transaction: never half old and half new.
 *
 * With a passage-context writer, each passage's embedded and keyword-indexed text also
 * carries a sentence situating it in its page, written once per passage (see
 * situatePassages). The document's stored hash then names the writer's model, and whether
 * every passage got its sentence: a page left with passages without one (the model
 * failed), or stored before the writer was configured, is taken up again at its next
 * ingestion, asking only for the sentences still missing. Without a writer nothing of
 * this happens, and the hashes are those of plain contextual passages.
 */
export async function ingestDocument(
  store: Store,
  embedder: Embedder,
  input: IngestDocumentInput,
  options: IngestDocumentOptions = {},
): Promise<IngestDocumentResult> {
  const outline = boundedOutline(input.outline);
  const writer = options.passageContext;
  const outlineHash = contentHash(
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
  // What the stored hash is when every passage has its sentence (see above); the outline's own without a writer.
  const documentHash = (complete: boolean) =>
    writer ? contentHash(JSON.stringify([outlineHash, 'passage-context', writer.model, ...(complete ? [] : ['incomplete'])])) : outlineHash;
  const validators = input.validators ?? { etag: null, lastModified: null };
  const state = await store.documents.findState(input.sourceId, input.locator);
  if (state && state.status === 'active' && state.contentHash === documentHash(true)) {
    await store.documents.touch(state.id, validators);
    return { outcome: 'unchanged', documentId: state.id, chunksAdded: 0, chunksRemoved: 0, embeddingTokens: 0 };
  }
  const sourceName = input.sourceName ?? (await store.sources.findById(input.sourceId))?.name;
  const byline = bylineOf(outline.author, sourceName);
  const passages = chunkOutline(withTitle(outline), options.chunkOptions ?? defaultChunkOptions).map((chunk) => ({
    heading: chunk.headingPath.join(' › '),
    chunk,
  }));
  const contexts = writer ? await situatePassages(store, writer, outline, passages, options.signal) : [];
  const chunks: (ChunkInput & { embeddingInput: string })[] = passages.map(({ heading, chunk }, index) => {
    const context = contexts[index] ?? null;
    const embedded = embeddingInput(heading, chunk.text, byline, context);
    return {
      ordinal: chunk.ordinal,
      headingPath: chunk.headingPath,
      heading,
      anchor: chunk.anchor,
      text: chunk.text,
      tokenCount: chunk.tokenCount,
      contentHash: contentHash(embedded),
      context,
      keywords: keywordWeights(heading, chunk.text, { title: outline.title, byline, passageContext: context }),
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
      contentHash: documentHash(chunks.every((chunk) => chunk.context !== null)),
      links: validators.links,
    },
    chunks,
    { model: embedder.model, vectors: embedded.computed, stored: embedded.vectors },
  );
  return { outcome: 'changed', ...result, embeddingTokens: embedded.embeddedTokens };
}

/** Registers the embedder's model (and its HNSW index) before anything is embedded. */
export async function prepareEmbeddingModel(store: Store, embedder: Embedder): Promise<void> {
  await store.embeddings.registerModel(embedder.model, embedder.dimensions, embedder.vectorType, embedder.meaningDimensions);
}
