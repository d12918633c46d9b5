import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contentHash } from '@cairn/core';
import { LocalHashEmbedder } from '@cairn/embed';
import { embeddingInput } from '@cairn/ingest';
import { loadGoldSet, starterNotesDirectory } from '@cairn/starter-corpus';
import { keywordWeights } from '@cairn/text';
import { gaussian, normalise, seededRandom } from './random.js';

/** The two kinds of vectors the comparison runs on. */
export type VectorKind = 'clustered-1536' | 'local-512';

export const chunksPerDocument = 20;
/** Chunks are spread over this many sources, so that one source keeps 10% of them. */
export const sourceCount = 10;
export const centroidCount = 100;

export interface BenchChunk {
  ordinal: number;
  heading: string;
  headingPath: string[];
  anchor: string;
  text: string;
  contentHash: string;
  vector: number[];
}

export interface BenchDocument {
  index: number;
  source: string;
  locator: string;
  url: string;
  title: string;
  chunks: BenchChunk[];
}

/** Sentences of the starter notes, the material of every synthetic passage. */
export async function starterSentences(): Promise<string[]> {
  const sentences: string[] = [];
  for (const file of (await readdir(starterNotesDirectory)).sort()) {
    const text = (await readFile(join(starterNotesDirectory, file), 'utf8')).split('\n---\n')[1] ?? '';
    sentences.push(...text.split(/(?<=[.!?])\s+/).filter((sentence) => sentence.length > 40 && !sentence.startsWith('#')));
  }
  return sentences;
}

export const sourceName = (index: number) => `bench-${index}`;

/**
 * A deterministic corpus of `size` chunks in documents of 20: each chunk is five sentences
 * of the starter notes, and its vector is either the local embedder's vector of its text
 * or a clustered 1536-dimension vector (one of 100 random unit centroids plus gaussian noise
 * as large as the centroid, normalised). Documents are generated on demand, so a corpus of
 * 100,000 chunks never sits in memory.
 */
export class BenchCorpus {
  readonly dimensions: number;
  readonly model: string;
  private readonly centroids: number[][] = [];
  private readonly embedder = new LocalHashEmbedder();

  constructor(
    readonly kind: VectorKind,
    readonly size: number,
    private readonly sentences: string[],
  ) {
    if (size % chunksPerDocument !== 0) throw new Error(`size ${size} is not a multiple of ${chunksPerDocument}`);
    this.dimensions = kind === 'clustered-1536' ? 1536 : this.embedder.dimensions;
    this.model = kind === 'clustered-1536' ? 'bench-clustered-1536' : this.embedder.model;
    if (kind === 'clustered-1536') {
      const normal = gaussian(seededRandom(1536));
      for (let index = 0; index < centroidCount; index += 1)
        this.centroids.push(normalise(Array.from({ length: this.dimensions }, normal)));
    }
  }

  get documentCount(): number {
    return this.size / chunksPerDocument;
  }

  /** A point of a random cluster: its centroid plus noise of the same expected length. */
  private clusteredVector(random: () => number): number[] {
    const centroid = this.centroids[Math.floor(random() * centroidCount)]!;
    const normal = gaussian(random);
    const scale = 1 / Math.sqrt(this.dimensions);
    return normalise(centroid.map((value) => value + normal() * scale));
  }

  document(index: number): BenchDocument {
    const random = seededRandom(0x9e3779b1 ^ (index * 7919));
    const title = `Document ${index}`;
    const chunks = Array.from({ length: chunksPerDocument }, (_, ordinal) => {
      const text = Array.from({ length: 5 }, () => this.sentences[Math.floor(random() * this.sentences.length)]).join(' ');
      const heading = `${title} › Section ${ordinal}`;
      const input = embeddingInput(heading, text);
      const vector = this.kind === 'clustered-1536' ? this.clusteredVector(random) : this.embedder.embed(input);
      return {
        ordinal,
        heading,
        headingPath: [title, `Section ${ordinal}`],
        anchor: `section-${ordinal}`,
        text,
        contentHash: contentHash(input),
        vector,
      };
    });
    const source = sourceName(index % sourceCount);
    return { index, source, locator: `doc-${index}`, url: `https://${source}.test/${index}/`, title, chunks };
  }

  keywords(chunk: BenchChunk): ReadonlyMap<string, number> {
    return keywordWeights(chunk.heading, chunk.text);
  }

  /**
   * Query vectors: for clustered vectors, new points near the centroids; for the local
   * embedder, the gold-set questions embedded (there are 65, so `count` is capped there).
   */
  queries(count: number): number[][] {
    if (this.kind === 'local-512') {
      return loadGoldSet()
        .slice(0, count)
        .map((question) => this.embedder.embed(question.question));
    }
    const random = seededRandom(424242);
    return Array.from({ length: count }, () => this.clusteredVector(random));
  }
}
