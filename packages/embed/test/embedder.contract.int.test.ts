import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '@cairn/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosineSimilarity, isSparseEmbedding, type EmbeddingVector } from '@cairn/core';
import { LocalHashEmbedder, LocalSemanticEmbedder, OpenAIEmbedder, SwitchingEmbedder, type Embedder } from '../src/index.js';

const cosine = cosineSimilarity;

/** The vector's Euclidean length and how many dimensions it spans. */
function shape(vector: EmbeddingVector): { norm: number; dimensions: number } {
  if (isSparseEmbedding(vector)) return { norm: Math.hypot(...vector.values), dimensions: vector.dimensions };
  return { norm: Math.hypot(...vector), dimensions: vector.length };
}

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startFakeOpenAIServer();
});
afterAll(async () => server?.close());

const openAIEmbedder = () =>
  OpenAIEmbedder.create({ apiKey: 'sk-test', baseUrl: server.url, model: 'text-embedding-3-small', maxRetries: 0 });

const embedders: { name: string; create: () => Promise<Embedder> }[] = [
  { name: 'local-hash-v1', create: async () => new LocalHashEmbedder() },
  // The word vectors are built into (or copied to) a fresh data directory, as on a first start.
  { name: 'local-semantic-v2', create: () => LocalSemanticEmbedder.open(mkdtempSync(join(tmpdir(), 'cairn-embed-'))) },
  { name: 'local-semantic-v1', create: () => LocalSemanticEmbedder.open(mkdtempSync(join(tmpdir(), 'cairn-embed-')), 'local-semantic-v1') },
  { name: 'openai (test server)', create: openAIEmbedder },
  // Search holds one while a new model's vectors are built: it must keep the contract
  // before a switch and after it, whatever it delegates to.
  { name: 'switching (local-hash-v1, not switched)', create: async () => new SwitchingEmbedder(new LocalHashEmbedder()) },
  {
    name: 'switching (from local-hash-v1 to openai)',
    create: async () => {
      const switching = new SwitchingEmbedder(new LocalHashEmbedder());
      switching.switchTo(await openAIEmbedder());
      return switching;
    },
  },
];

describe.each(embedders)('Embedder contract: $name', ({ create }) => {
  it('returns one unit vector of the declared size per text, in order', async () => {
    const embedder = await create();
    const vectors = await embedder.embedDocuments(['staff engineers lead', 'feedback needs an observation', 'hiring loops']);
    expect(vectors).toHaveLength(3);
    for (const vector of vectors) {
      const { norm, dimensions } = shape(vector);
      expect(dimensions).toBe(embedder.dimensions);
      expect(norm).toBeCloseTo(1, 4);
      // The store reads the vector type from the embedder: what it returns must match it.
      expect(isSparseEmbedding(vector)).toBe((embedder.vectorType ?? 'vector') === 'sparsevec');
    }
    expect(await embedder.embedQuery('hiring loops')).toEqual(vectors[2]);
  });

  it('is deterministic and puts texts that share words closer than texts that do not', async () => {
    const embedder = await create();
    const [query, near, far] = await embedder.embedDocuments([
      'how should engineering managers give feedback',
      'managers give feedback with an observation and its impact',
      'sizing the database cluster for write throughput',
    ]);
    expect(cosine(query!, near!)).toBeGreaterThan(cosine(query!, far!));
    expect(await embedder.embedDocuments(['how should engineering managers give feedback'])).toEqual([query]);
  });

  it('names its model with a version, so stored vectors never mix', async () => {
    const embedder = await create();
    expect(embedder.model).toMatch(/^(local-(hash|semantic)-v\d+|openai:[\w.-]+@\d+)$/);
  });
});
