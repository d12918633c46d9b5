import { analyzeText } from '@cairn/text';
import type { Embedder } from './embedder.js';

/** Bump the version whenever the features change: stored vectors are keyed by it. */
export const localHashModel = 'local-hash-v1';

const dimensions = 512;
const characterGramWeight = 0.3;

/** FNV-1a over UTF-16 code units, with a seed. */
function fnv1a(text: string, seed: number): number {
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
  readonly dimensions = dimensions;

  async embedDocuments(texts: readonly string[]): Promise<number[][]> {
    return texts.map((text) => this.embed(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  /** The synchronous core, for callers that embed in a tight loop. */
  embed(text: string): number[] {
    const features = new Map<string, number>();
    const add = (feature: string, weight: number) => features.set(feature, (features.get(feature) ?? 0) + weight);
    const terms = analyzeText(text);
    for (const term of terms) {
      add(`w:${term}`, 1);
      if (term.length >= 4) {
        const padded = `^${term}$`;
        const gramCount = padded.length - 2;
        for (let start = 0; start < gramCount; start += 1) add(`c:${padded.slice(start, start + 3)}`, characterGramWeight / gramCount);
      }
    }
    const vector = new Array<number>(dimensions).fill(0);
    for (const [feature, weight] of features) {
      const bucket = fnv1a(feature, 0) % dimensions;
      const sign = fnv1a(feature, 0x9e3779b9) & 1 ? 1 : -1;
      vector[bucket]! += sign * Math.sqrt(weight);
    }
    const norm = Math.hypot(...vector);
    return norm === 0 ? vector : vector.map((value) => value / norm);
  }
}
