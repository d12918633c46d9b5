import type { SqlStatement } from './sql-statement.js';

/**
 * What keyword search estimates a term's document frequency from: the planner's statistics
 * of the postings (refreshed by DocumentsRepository.refreshStatistics, and by autovacuum on
 * server Postgres), read once and kept until they change.
 */
export interface TermStatistics {
  /** Changes whenever the statistics may have (see statisticsFingerprint). */
  fingerprint: string;
  /** Estimated rows of `chunks` and of `keyword_postings` (0 before the first ANALYZE). */
  chunks: number;
  postings: number;
  /** The most common terms and the share of postings each has. */
  commonTerms: ReadonlyMap<string, number>;
  /** The share of postings the most common terms have together. */
  commonShare: number;
  /** Estimated distinct terms; null when the postings have no statistics yet. */
  distinctTerms: number | null;
}

/**
 * A SQL expression that changes when the statistics of the postings may have: how often
 * the postings were analysed (by hand and by autovacuum), when last, and the row estimates
 * the IDF reads. Cheap (two catalog rows and the cumulative statistics), so every keyword
 * search returns it and one that finds it changed reads the statistics again.
 */
export const statisticsFingerprint = `(select concat_ws('/', pg_stat_get_analyze_count(k.oid), pg_stat_get_autoanalyze_count(k.oid),
    pg_stat_get_last_analyze_time(k.oid), pg_stat_get_last_autoanalyze_time(k.oid), k.reltuples,
    (select reltuples from pg_class where oid = 'chunks'::regclass))
  from pg_class k where k.oid = 'keyword_postings'::regclass)`;

/** Reads only the fingerprint (one row, `fingerprint`): whether statistics read before still hold. */
export function termStatisticsFingerprintQuery(): SqlStatement {
  return { sql: `select ${statisticsFingerprint} as fingerprint`, params: [] };
}

/** Reads the statistics: one row, with nulls for the term statistics before the postings are analysed. */
export function termStatisticsQuery(): SqlStatement {
  return {
    sql: `select ${statisticsFingerprint} as fingerprint,
         greatest((select reltuples from pg_class where oid = 'chunks'::regclass), 0) as chunks,
         greatest((select reltuples from pg_class where oid = 'keyword_postings'::regclass), 0) as postings,
         st.most_common_vals::text::text[] as "commonTerms", st.most_common_freqs as "commonFrequencies", st.n_distinct as "distinct"
       from (select 1) as one
       left join pg_stats st on st.schemaname = current_schema() and st.tablename = 'keyword_postings' and st.attname = 'term'`,
    params: [],
  };
}

export interface TermStatisticsRow {
  fingerprint: string;
  chunks: number;
  postings: number;
  commonTerms: string[] | null;
  commonFrequencies: number[] | null;
  distinct: number | null;
}

export function toTermStatistics(row: TermStatisticsRow): TermStatistics {
  const terms = row.commonTerms ?? [];
  const frequencies = (row.commonFrequencies ?? []).map(Number);
  const postings = Number(row.postings);
  const distinct = row.distinct === null ? null : Number(row.distinct);
  return {
    fingerprint: row.fingerprint,
    chunks: Number(row.chunks),
    postings,
    commonTerms: new Map(terms.map((term, index) => [term, frequencies[index] ?? 0])),
    commonShare: frequencies.reduce((sum, frequency) => sum + frequency, 0),
    // A negative n_distinct is a share of the rows.
    distinctTerms: distinct === null ? null : distinct < 0 ? -distinct * postings : distinct,
  };
}

/**
 * BM25's inverse document frequency of a term, ln(1 + (N − n + 0.5) / (n + 0.5)), with N the
 * chunks and n the postings of the term: a most common term's share of the postings, else
 * the postings the common terms leave spread evenly over the other distinct terms (1 without
 * statistics).
 */
export function inverseDocumentFrequency(statistics: TermStatistics, term: string): number {
  const { chunks, postings, commonTerms, commonShare, distinctTerms } = statistics;
  const common = commonTerms.get(term);
  const frequency =
    common !== undefined
      ? common * postings
      : distinctTerms !== null
        ? ((1 - commonShare) * postings) / Math.max(distinctTerms - commonTerms.size, 1)
        : 1;
  return Math.log(1 + (Math.max(chunks, frequency) - frequency + 0.5) / (frequency + 0.5));
}
