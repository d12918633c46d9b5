import { analyzeText } from './analyze-text.js';

/** BM25 parameters: term-frequency saturation, length normalisation, and the typical passage length in terms. */
export const bm25Parameters = { k1: 1.2, b: 0.75, averageTerms: 120, headingBoost: 2 } as const;

/**
 * The BM25 weight of each term of a passage, without the inverse document frequency
 * (applied at query time from corpus statistics): tf·(k1+1) / (tf + k1·(1 − b + b·len/avg)).
 * Heading terms count twice, as a heading names what its section is about. Terms are
 * those of analyzeText, so spelling variants and word forms fold as in the dense list.
 */
export function keywordWeights(heading: string, text: string): Map<string, number> {
  const frequencies = new Map<string, number>();
  for (const term of analyzeText(heading)) frequencies.set(term, (frequencies.get(term) ?? 0) + bm25Parameters.headingBoost);
  const bodyTerms = analyzeText(text);
  for (const term of bodyTerms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
  const { k1, b, averageTerms } = bm25Parameters;
  const lengthNorm = 1 - b + (b * bodyTerms.length) / averageTerms;
  const weights = new Map<string, number>();
  for (const [term, frequency] of frequencies) weights.set(term, (frequency * (k1 + 1)) / (frequency + k1 * lengthNorm));
  return weights;
}

/** The distinct terms of a query, in order, as keyword search looks them up. */
export function queryTerms(query: string): string[] {
  return [...new Set(analyzeText(query))];
}
