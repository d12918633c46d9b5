import { analyzeText, bm25Parameters, queryTerms } from '@cairn/text';

export interface WholePage {
  /** The id the questions use for this page (its URL path or slug). */
  key: string;
  title: string;
  text: string;
}

/**
 * The plain baseline beside the retrieval stages: BM25 over each page's whole text (title
 * and body, no chunking, no dense list), computed in memory. Terms come from analyzeText and
 * queryTerms, as keyword search's do, and the idf is keyword search's, ln(1 + (N − df + ½) /
 * (df + ½)). Length normalisation uses this corpus's average page length rather than
 * keywordWeights' fixed passage length, since whole pages are many passages long.
 */
export class WholePageBm25 {
  private readonly pages: { key: string; frequencies: Map<string, number>; length: number }[];
  private readonly documentFrequency = new Map<string, number>();
  private readonly averageLength: number;

  constructor(pages: readonly WholePage[]) {
    this.pages = pages.map((page) => {
      const frequencies = new Map<string, number>();
      // The title counts as keywordWeights counts a heading.
      for (const term of analyzeText(page.title)) frequencies.set(term, (frequencies.get(term) ?? 0) + bm25Parameters.headingBoost);
      const body = analyzeText(page.text);
      for (const term of body) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
      for (const term of frequencies.keys()) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      return { key: page.key, frequencies, length: body.length };
    });
    this.averageLength = this.pages.reduce((sum, page) => sum + page.length, 0) / (this.pages.length || 1) || 1;
  }

  /** Page keys by descending score (ties by key), at most `limit`, only pages sharing a term with the query. */
  rank(query: string, limit = 10): string[] {
    const { k1, b } = bm25Parameters;
    const count = this.pages.length;
    const terms = queryTerms(query);
    const scored: { key: string; score: number }[] = [];
    for (const page of this.pages) {
      const norm = 1 - b + (b * page.length) / this.averageLength;
      let score = 0;
      for (const term of terms) {
        const frequency = page.frequencies.get(term);
        if (!frequency) continue;
        const df = this.documentFrequency.get(term) ?? 0;
        const idf = Math.log(1 + (count - df + 0.5) / (df + 0.5));
        score += idf * ((frequency * (k1 + 1)) / (frequency + k1 * norm));
      }
      if (score > 0) scored.push({ key: page.key, score });
    }
    scored.sort((left, right) => right.score - left.score || left.key.localeCompare(right.key));
    return [...new Set(scored.map((entry) => entry.key))].slice(0, limit);
  }
}
