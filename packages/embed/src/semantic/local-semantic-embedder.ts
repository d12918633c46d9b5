import { sparseEmbedding, type EmbeddingVector, type SparseEmbedding, type VectorType } from '@cairn/core';
import { normalizeText, stem, stopwords } from '@cairn/text';
import type { Embedder, EmbedQueryOptions } from '../embedder.js';
import { lexicalFeatures } from '../lexical-features.js';
import { fnv1a, LocalHashEmbedder } from '../local-hash-embedder.js';
import { WordVectorTable, wordVectorCacheFile } from './word-vector-table.js';

/** Bump the version whenever the features change: stored vectors are keyed by it. */
export const localSemanticModel = 'local-semantic-v2';
/**
 * The model before it (dense, its terms hashed into 1,024 dimensions). Kept so that a
 * database embedded with it is searched as before while its passages are re-embedded.
 */
export const localSemanticDenseModel = 'local-semantic-v1';

export type LocalSemanticVariant = typeof localSemanticModel | typeof localSemanticDenseModel;

/**
 * The models' settings, measured on the development sets (docs/evaluation.md, "Why the
 * dense ranker stayed under keyword"). SIF's a = 0.001 (0.0001 to 0.003 changed fused
 * nDCG@10 by under 0.02) and trigrams at 0.3 of a term's weight in both.
 *
 * v2 keeps each term and trigram at its own index of a sparse vector (2^24 lexical
 * indices: two features of a passage share one about once in 50,000 passages), where v1
 * folded them into 1,024 signed buckets whose collisions cost its lexical part 0.12
 * nDCG@10 on the blog set. Without that noise the words can carry more of the cosine:
 * meaning 0.3 (0.2 to 0.35 all scored within 0.011 of each other on every set; v1 needed 0.5).
 * At most 800 lexical entries (the largest) are kept, so a vector stays under the HNSW
 * index's 1,000 non-zero entries and inline in its row; the longest passage of the sets
 * has 566. Changing any of them is a new model id.
 */
const settingsOf = {
  [localSemanticModel]: {
    semanticShare: 0.3,
    smoothing: 1e-3,
    lexicalDimensions: 2 ** 24,
    characterGramWeight: 0.3,
    maxLexicalEntries: 800,
  },
  [localSemanticDenseModel]: {
    semanticShare: 0.5,
    smoothing: 1e-3,
    lexicalDimensions: 1024,
    characterGramWeight: 0.3,
    maxLexicalEntries: Infinity,
  },
} as const;

/**
 * Shorthand that the word vectors do not know, spelled out. Only unambiguous domain
 * shorthand: abbreviations with another common sense (PM, EM as a unit) are left alone.
 */
const spelledOut = new Map<string, string[]>([
  ['oneonone', ['one-on-one']],
  ['reorg', ['reorganization']],
  ['reorgs', ['reorganizations']],
  ['okr', ['objectives', 'key', 'results']],
  ['okrs', ['objectives', 'key', 'results']],
  ['kpi', ['metrics']],
  ['kpis', ['metrics']],
  ['comp', ['compensation']],
  ['swe', ['software', 'engineer']],
  ['sre', ['reliability', 'engineer']],
  ['srel', ['reliability']],
  ['postmortem', ['post-mortem']],
  ['postmortems', ['post-mortem']],
  ['runbook', ['procedures']],
  ['runbooks', ['procedures']],
  ['onboard', ['onboarding']],
]);

const wordPattern = /[a-z0-9]+(?:[-&'.][a-z0-9]+)*/g;

/** A factor on the weight of a query's term, by its stem (EmbedQueryOptions.termWeight). */
type TermWeight = (term: string) => number;

/**
 * A semantic embedder that needs no network: pretrained word vectors (see WordVectorTable)
 * averaged over a passage with smooth inverse frequency weights (Arora, Liang and Ma,
 * "A simple but tough-to-beat baseline for sentence embeddings", 2017): a word weighs
 * a / (a + p(word)), where p is the word's Zipf probability from its frequency rank, so
 * "team" counts less than "attrition". The common component is removed from the word
 * vectors themselves (all-but-the-top), which keeps the model the same whatever the corpus.
 *
 * The vector is that meaning part beside a lexical part (the hashing embedder's stemmed
 * terms and character trigrams, each term weighted by its word's rarity in English), each
 * unit length and scaled so that the cosine of two vectors is
 * share × cos(meaning) + (1 − share) × cos(words): a passage that says "people quitting"
 * is near a question about "attrition", and exact names and terms still count. v2 (the
 * default) returns a sparse vector, every feature at its own index; v1 a dense one with the
 * features folded into 1,024 dimensions.
 */
export class LocalSemanticEmbedder implements Embedder {
  readonly model: LocalSemanticVariant;
  readonly dimensions: number;
  readonly vectorType: VectorType;
  /** v2: the meaning part's dimensions (indices 0 to 99), indexed on their own (Embedder.meaningDimensions). */
  readonly meaningDimensions: number | undefined;
  private readonly settings: (typeof settingsOf)[LocalSemanticVariant];
  /** v1's lexical part: the hashing embedder folding the features into its dimensions (v2 keeps each at its own index). */
  private readonly foldedLexical: LocalHashEmbedder | undefined;
  private readonly semanticScale: number;
  private readonly lexicalScale: number;
  private readonly smoothing: number;
  private readonly zipfNormaliser: number;

  constructor(
    private readonly table: WordVectorTable,
    variant: LocalSemanticVariant = localSemanticModel,
  ) {
    this.model = variant;
    this.settings = settingsOf[variant];
    this.vectorType = variant === localSemanticModel ? 'sparsevec' : 'vector';
    this.semanticScale = Math.sqrt(this.settings.semanticShare);
    this.lexicalScale = Math.sqrt(1 - this.settings.semanticShare);
    this.smoothing = this.settings.smoothing;
    this.foldedLexical =
      this.vectorType === 'vector' ? new LocalHashEmbedder(this.settings.lexicalDimensions, this.settings.characterGramWeight) : undefined;
    this.dimensions = table.dimensions + this.settings.lexicalDimensions;
    this.meaningDimensions = this.vectorType === 'sparsevec' ? table.dimensions : undefined;
    // Harmonic number of the vocabulary: p(rank r) ≈ 1 / ((r + 1) · H).
    this.zipfNormaliser = Math.log(table.size) + 0.5772;
  }

  /** The embedder over the table cached under `dataDir` (built there on first use; '' for an in-memory database). */
  static async open(dataDir: string, variant: LocalSemanticVariant = localSemanticModel): Promise<LocalSemanticEmbedder> {
    return new LocalSemanticEmbedder(await openSharedTable(wordVectorCacheFile(dataDir)), variant);
  }

  async embedDocuments(texts: readonly string[]): Promise<EmbeddingVector[]> {
    return texts.map((text) => this.embed(text));
  }

  /** A query as a passage is embedded, each of its terms' weights times `termWeight` of the term (both parts). */
  async embedQuery(text: string, options?: EmbedQueryOptions): Promise<EmbeddingVector> {
    return this.embed(text, options?.termWeight);
  }

  embed(text: string, termWeight?: TermWeight): EmbeddingVector {
    return this.vectorType === 'sparsevec' ? this.embedSparse(text, termWeight) : this.embedDense(text, termWeight);
  }

  /**
   * v2: the meaning part at indices 0 to 99, then each lexical feature (term or trigram,
   * weighted as in rarityWeights, square-rooted) at its own index, from FNV-1a over the feature.
   */
  embedSparse(text: string, termWeight?: TermWeight): SparseEmbedding {
    const meaning = this.meaning(text, termWeight);
    const meaningNorm = Math.sqrt(meaning.reduce((sum, value) => sum + value * value, 0));
    const entries = new Map<number, number>();
    if (meaningNorm > 0) meaning.forEach((value, index) => entries.set(index, (this.semanticScale * value) / meaningNorm));
    const features = [...lexicalFeatures(this.rarityWeights(text, termWeight), this.settings.characterGramWeight)]
      .map(([feature, weight]) => [feature, Math.sqrt(weight)] as const)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, this.settings.maxLexicalEntries);
    const lexicalNorm = Math.sqrt(features.reduce((sum, [, weight]) => sum + weight * weight, 0));
    for (const [feature, weight] of features) {
      const index = this.table.dimensions + (fnv1a(feature, 0) % this.settings.lexicalDimensions);
      entries.set(index, (entries.get(index) ?? 0) + (this.lexicalScale * weight) / lexicalNorm);
    }
    // Renormalised: a text with one part only, or two features on one index.
    const norm = Math.sqrt([...entries.values()].reduce((sum, value) => sum + value * value, 0));
    return sparseEmbedding(
      this.dimensions,
      [...entries].map(([index, value]) => [index, value / norm] as const),
    );
  }

  /** v1: the meaning part, then the lexical features folded into 1,024 signed buckets. */
  embedDense(text: string, termWeight?: TermWeight): number[] {
    const meaning = this.meaning(text, termWeight);
    const words = this.rarityWeightedWords(text, termWeight);
    const vector = new Array<number>(this.dimensions);
    const meaningNorm = Math.sqrt(meaning.reduce((sum, value) => sum + value * value, 0));
    for (let index = 0; index < meaning.length; index += 1) {
      vector[index] = meaningNorm === 0 ? 0 : (this.semanticScale * meaning[index]!) / meaningNorm;
    }
    for (let index = 0; index < words.length; index += 1) vector[meaning.length + index] = this.lexicalScale * words[index]!;
    // A text with no known word and no term is the zero vector; otherwise renormalise the parts present.
    const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
    return norm === 0 ? vector : vector.map((value) => value / norm);
  }

  /**
   * v1's lexical part: the hashing embedder's features (stemmed terms and their character
   * trigrams), each weighted by the rarity of its word in English, log(1 + rank / 100)
   * from the word vectors' frequency order, like an inverse document frequency that needs
   * no corpus: "attrition" outweighs "team"; folded into its 1,024 signed buckets. v2 has
   * no folded part: embedSparse keeps each feature at its own index.
   */
  rarityWeightedWords(text: string, termWeight?: TermWeight): number[] {
    if (!this.foldedLexical) throw new TypeError(`${this.model} keeps each lexical feature at its own index: use embedSparse`);
    return this.foldedLexical.embedWeighted(this.rarityWeights(text, termWeight));
  }

  /**
   * Each stemmed term of a text with its weight: the sum of its words' rarities, log(1 + rank / 100)
   * (times `termWeight` of the term, for a query).
   */
  rarityWeights(text: string, termWeight?: TermWeight): Map<string, number> {
    const weights = new Map<string, number>();
    for (const match of this.normalized(text).matchAll(wordPattern)) {
      const word = match[0].replace(/'s$/, '').replaceAll("'", '');
      if (word.length < 2 || stopwords.has(word)) continue;
      const rank = this.table.rank(word);
      const rarity = Math.log(1 + (rank < 0 ? 100_000 : rank + 1) / 100);
      const term = word.length > 40 ? word.slice(0, 40) : stem(word);
      weights.set(term, (weights.get(term) ?? 0) + rarity);
    }
    if (termWeight) for (const [term, weight] of weights) weights.set(term, weight * termWeight(term));
    return weights;
  }

  /** The SIF-weighted sum of the text's word vectors (each word's weight times `termWeight` of its stem, for a query). */
  meaning(text: string, termWeight?: TermWeight): Float64Array {
    const sum = new Float64Array(this.table.dimensions);
    for (const word of this.words(text)) {
      const factor = termWeight ? termWeight(stem(word)) : 1;
      for (const entry of this.ranksOf(word)) this.table.addTo(sum, entry.rank, factor * entry.weight * this.weight(entry.rank));
    }
    return sum;
  }

  /** The content words of a text as the word vectors spell them. */
  words(text: string): string[] {
    const words: string[] = [];
    for (const match of this.normalized(text).matchAll(wordPattern)) {
      let word = match[0].replace(/'s$/, '');
      if (word.includes("'") || !/[a-z]/.test(word) || stopwords.has(word)) continue;
      word = word.replace(/\.+$/, '');
      const expansion = spelledOut.get(word);
      if (expansion) words.push(...expansion);
      else words.push(word);
    }
    return words;
  }

  /** The last text normalizeText was given here, and what it gave: embedSparse reads a text's words twice (meaning, rarityWeights). */
  private lastText: string | undefined;
  private lastNormalized = '';

  private normalized(text: string): string {
    if (text !== this.lastText) {
      this.lastNormalized = normalizeText(text);
      this.lastText = text;
    }
    return this.lastNormalized;
  }

  private readonly unknown = new Map<string, { rank: number; weight: number }[]>();

  /** The table entries that stand for a word: itself, its singular, its parts, or its completions. */
  private ranksOf(word: string): { rank: number; weight: number }[] {
    const rank = this.table.rank(word);
    if (rank >= 0) return [{ rank, weight: 1 }];
    let found = this.unknown.get(word);
    if (found) return found;
    found = [];
    const singular = word.endsWith('s') ? this.table.rank(word.slice(0, -1)) : -1;
    if (singular >= 0) found.push({ rank: singular, weight: 1 });
    else if (/[-&.]/.test(word)) {
      const parts = word.split(/[-&.]+/).filter((part) => part.length > 1 && !stopwords.has(part));
      for (const part of parts) {
        const partRank = this.table.rank(part);
        if (partRank >= 0) found.push({ rank: partRank, weight: 1 / parts.length });
      }
    } else if (word.length >= 5) {
      const completions = this.table.completions(word, 3);
      for (const completion of completions) found.push({ rank: completion, weight: 1 / completions.length });
    }
    // Bounded: a corpus of many rare names would otherwise grow it without end.
    if (this.unknown.size > 50_000) this.unknown.clear();
    this.unknown.set(word, found);
    return found;
  }

  /** SIF weight a / (a + p) of the word at a frequency rank. */
  private weight(rank: number): number {
    const probability = 1 / ((rank + 1) * this.zipfNormaliser);
    return this.smoothing / (this.smoothing + probability);
  }
}

const openTables = new Map<string, Promise<WordVectorTable>>();

/** One table per cache file per process: runtimes and evaluations share it. */
function openSharedTable(file: string | undefined): Promise<WordVectorTable> {
  const key = file ?? '';
  let table = openTables.get(key);
  if (!table) {
    table = WordVectorTable.open(file);
    openTables.set(key, table);
    table.catch(() => openTables.delete(key));
  }
  return table;
}

/**
 * How close in meaning a question is to each text, by the cosine of their SIF word-vector
 * sums, where the embedder is the local semantic one (undefined for other embedders).
 */
export function meaningSimilarity(embedder: unknown): ((question: string, texts: readonly string[]) => number[]) | undefined {
  if (!(embedder instanceof LocalSemanticEmbedder)) return undefined;
  return (question, texts) => {
    const asked = embedder.meaning(question);
    const askedNorm = Math.hypot(...asked);
    return texts.map((text) => {
      const meaning = embedder.meaning(text);
      let dot = 0;
      for (let index = 0; index < meaning.length; index += 1) dot += asked[index]! * meaning[index]!;
      const norm = askedNorm * Math.hypot(...meaning);
      return norm === 0 ? 0 : dot / norm;
    });
  };
}
