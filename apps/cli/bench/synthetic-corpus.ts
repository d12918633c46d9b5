import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contentHash } from '@cairn/core';
import type { LocalHashEmbedder } from '@cairn/embed';
import { embeddingInput } from '@cairn/ingest';
import { starterNotesDirectory } from '@cairn/starter-corpus';
import type { Store } from '@cairn/store';
import { keywordWeights } from '@cairn/text';

/** The API benches over this corpus send more than a minute's worth of the default rate limits (RATE_LIMIT_MAX, RATE_LIMIT_ASK_MAX). */
export const unlimitedRateLimits = { RATE_LIMIT_MAX: '1000000', RATE_LIMIT_ASK_MAX: '1000000' };

export /** 10,000 realistic passages: sentences of the starter notes recombined into 500 documents of 20 chunks. */
async function syntheticCorpus(): Promise<string[][]> {
  const sentences: string[] = [];
  for (const file of await readdir(starterNotesDirectory)) {
    const text = (await readFile(join(starterNotesDirectory, file), 'utf8')).split('\n---\n')[1] ?? '';
    sentences.push(...text.split(/(?<=[.!?])\s+/).filter((sentence) => sentence.length > 40 && !sentence.startsWith('#')));
  }
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: 500 }, () =>
    Array.from({ length: 20 }, () => Array.from({ length: 5 }, () => sentences[next() % sentences.length]).join(' ')),
  );
}

/** Stores the synthetic documents (20 chunks each) with their vectors and keyword postings. */
export async function loadSyntheticCorpus(store: Store, embedder: LocalHashEmbedder, documents: string[][]): Promise<void> {
  await store.embeddings.registerModel(embedder.model, embedder.dimensions, embedder.vectorType);
  const { id: sourceId } = await store.sources.upsert({ name: 'bench', kind: 'web', baseUrl: 'https://bench.test/' });
  for (const [index, texts] of documents.entries()) {
    const chunks = texts.map((text, ordinal) => {
      const heading = `Document ${index} › Section ${ordinal}`;
      return {
        ordinal,
        headingPath: [`Document ${index}`, `Section ${ordinal}`],
        heading,
        anchor: `section-${ordinal}`,
        text,
        tokenCount: 100,
        contentHash: contentHash(embeddingInput(heading, text)),
        keywords: keywordWeights(heading, text),
      };
    });
    const vectors = new Map(chunks.map((chunk) => [chunk.contentHash, embedder.embed(embeddingInput(chunk.heading, chunk.text))]));
    await store.documents.replace(
      {
        sourceId,
        locator: `doc-${index}`,
        url: `https://bench.test/${index}/`,
        kind: 'article',
        title: `Document ${index}`,
        author: 'Bench',
        publishedAt: null,
        topics: [],
        frameworks: [],
        etag: null,
        lastModified: null,
        contentHash: String(index),
      },
      chunks,
      { model: embedder.model, vectors },
    );
  }
  // As an ingestion run ends: vectors kept out of the HNSW index (PGlite) go into it.
  await store.embeddings.indexPending();
  await store.documents.refreshStatistics();
}
