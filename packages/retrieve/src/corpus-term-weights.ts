import { inverseDocumentFrequency, type TermStatistics } from '@cairn/store';

/**
 * The weight of a query's term by how rare it is in the corpus searched: its inverse document
 * frequency (as keyword search estimates it, from the planner's statistics of the postings) to
 * the power `exponent`. Given to the embedder for the query (EmbedQueryOptions.termWeight), it
 * lets the words that every page of a corpus uses ("engineer", "team", "staff" in a corpus
 * about staff engineers) count less than the words that tell its pages apart, which a model's
 * own weights (English word frequency) cannot know.
 *
 * The statistics are keyword search's own (SearchRepository.currentTermStatistics): read
 * once, and again when a search finds them changed (after ingestion refreshes them), so a
 * search reads no catalog row for its weights.
 */
export class CorpusTermWeights {
  private weighed: { statistics: TermStatistics; weights: Map<string, number> } | undefined;

  constructor(private readonly exponent: number) {}

  /** The weight of each term under the given statistics. */
  weigher(statistics: TermStatistics): (term: string) => number {
    if (this.weighed?.statistics !== statistics) this.weighed = { statistics, weights: new Map() };
    const { weights } = this.weighed;
    return (term) => {
      let weight = weights.get(term);
      if (weight === undefined) {
        weight = inverseDocumentFrequency(statistics, term) ** this.exponent;
        // Bounded: queries bring new words without end.
        if (weights.size >= 50_000) weights.clear();
        weights.set(term, weight);
      }
      return weight;
    };
  }
}
