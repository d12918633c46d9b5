import { analyzeText } from './analyze-text.js';

/** BM25 parameters: term-frequency saturation, length normalisation, and the typical passage length in terms. */
export const bm25Parameters = {
  k1: 1.2,
  b: 0.75,
  averageTerms: 120,
  headingBoost: 2,
  titleBoost: 1,
  bylineBoost: 1,
  passageContextBoost: 1,
} as const;

/**
 * The BM25 weight of each term of a passage, without the inverse document frequency
 * (applied at query time from corpus statistics): tf·(k1+1) / (tf + k1·(1 − b + b·len/avg)).
 * Fields weigh as in BM25F: a term of the heading path counts twice, as a heading names
 * what its section is about, and a term of the page title once more (the path starts with
 * it); the byline (author and source) counts once, so "what does Lara Hogan say" finds her
 * passages; so does the sentence that situates the passage in its page, when a chat model
 * wrote one (CAIRN_PASSAGE_CONTEXT=llm). Terms are those of analyzeText, so spelling
 * variants and word forms fold as in the dense list.
 */
export function keywordWeights(
  heading: string,
  text: string,
  context: { title?: string; byline?: string; passageContext?: string | null | undefined } = {},
): Map<string, number> {
  const frequencies = new Map<string, number>();
  const add = (field: string, boost: number) => {
    for (const term of analyzeText(field)) frequencies.set(term, (frequencies.get(term) ?? 0) + boost);
  };
  add(heading, bm25Parameters.headingBoost);
  add(context.title ?? '', bm25Parameters.titleBoost);
  add(context.byline ?? '', bm25Parameters.bylineBoost);
  add(context.passageContext ?? '', bm25Parameters.passageContextBoost);
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
