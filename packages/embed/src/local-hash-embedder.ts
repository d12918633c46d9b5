import { analyzeText } from '@cairn/text';
import type { Embedder } from './embedder.js';
import { lexicalFeatures } from './lexical-features.js';

/** Bump the version whenever the features change: stored vectors are keyed by it. */
export const localHashModel = 'local-hash-v1';

const defaultDimensions = 512;
const characterGramWeight = 0.3;

/** FNV-1a over UTF-16 code units, with a seed. */
export function fnv1a(text: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A deterministic embedder that needs no network and no model files: features are the
 * stemmed content words and their character trigrams, weighted sub-linearly and folded
 * into 512 dimensions by signed feature hashing (a second hash picks the sign, so
 * collisions cancel out on average instead of adding up). Vectors are unit length, so
 * cosine similarity is a lexical overlap score that tolerates word forms and typos.
 * Word bigrams were measured and left out: on the gold set they lowered dense nDCG@10
 * from 0.698 to 0.649 (questions paraphrase; bigrams reward exact phrasing).
 */
export class LocalHashEmbedder implements Embedder {
  readonly model = localHashModel;
  readonly vectorType = 'vector' as const;

  /** `dimensions` and `gramWeight` other than the defaults are for other models built on this one. */
  constructor(
    readonly dimensions = defaultDimensions,
    private readonly gramWeight = characterGramWeight,
  ) {}

  async embedDocuments(texts: readonly string[]): Promise<number[][]> {
    return texts.map((text) => this.embed(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  /** The synchronous core, for callers that embed in a tight loop. */
  embed(text: string): number[] {
    const counts = new Map<string, number>();
    for (const term of analyzeText(text)) counts.set(term, (counts.get(term) ?? 0) + 1);
    return this.embedWeighted(counts);
  }

  /** The vector of terms with a weight each (a count, or a count scaled by the term's rarity). */
  embedWeighted(terms: ReadonlyMap<string, number>): number[] {
    const features = lexicalFeatures(terms, this.gramWeight);
    const vector = new Array<number>(this.dimensions).fill(0);
    for (const [feature, weight] of features) {
      const bucket = fnv1a(feature, 0) % this.dimensions;
      const sign = fnv1a(feature, 0x9e3779b9) & 1 ? 1 : -1;
      vector[bucket]! += sign * Math.sqrt(weight);
    }
    const norm = Math.hypot(...vector);
    return norm === 0 ? vector : vector.map((value) => value / norm);
  }
}
