import {
  inverseDocumentFrequency,
  termStatisticsFingerprintQuery,
  termStatisticsQuery,
  toTermStatistics,
  type Queryable,
  type TermStatistics,
  type TermStatisticsRow,
} from '@cairn/store';

/**
 * The weight of a query's term by how rare it is in the corpus searched: its inverse document
 * frequency (as keyword search estimates it, from the planner's statistics of the postings) to
 * the power `exponent`. Given to the embedder for the query (EmbedQueryOptions.termWeight), it
 * lets the words that every page of a corpus uses ("engineer", "team", "staff" in a corpus
 * about staff engineers) count less than the words that tell its pages apart, which a model's
 * own weights (English word frequency) cannot know.
 *
 * Each search reads the statistics' fingerprint (two catalog rows), and the statistics
 * themselves only when it changed (after ingestion refreshes them), as keyword search does.
 */
export class CorpusTermWeights {
  private statistics: Promise<TermStatistics> | undefined;

  constructor(
    private readonly database: Queryable,
    private readonly exponent: number,
  ) {}

  /** The weight of each term under the statistics as they are now. */
  async weigher(): Promise<(term: string) => number> {
    const fingerprint = termStatisticsFingerprintQuery();
    const [current] = await this.database.query<{ fingerprint: string | null }>(fingerprint.sql, fingerprint.params);
    let statistics = this.statistics && (await this.statistics.catch(() => undefined));
    if (!statistics || statistics.fingerprint !== current?.fingerprint) {
      const { sql, params } = termStatisticsQuery();
      this.statistics = this.database.query<TermStatisticsRow>(sql, params).then(([row]) => toTermStatistics(row!));
      statistics = await this.statistics;
    }
    const read = statistics;
    const weights = new Map<string, number>();
    return (term) => {
      let weight = weights.get(term);
      if (weight === undefined) {
        weight = inverseDocumentFrequency(read, term) ** this.exponent;
        weights.set(term, weight);
      }
      return weight;
    };
  }
}
