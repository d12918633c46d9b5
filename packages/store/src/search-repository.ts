import { vectorTypeOf, type EmbeddingVector, type SearchFilters } from '@cairn/core';
import type { Queryable } from './database.js';
import { embeddingToSql } from './embedding-to-sql.js';
import { vectorColumn } from './embeddings-repository.js';

/** A chunk as a search list returns it, before fusion. */
export interface SearchHit {
  chunkId: string;
  documentId: string;
  url: string;
  title: string;
  author: string | null;
  source: string;
  kind: 'article' | 'note';
  heading: string;
  headingPath: string[];
  anchor: string | null;
  text: string;
  publishedAt: Date | null;
  fetchedAt: Date | null;
  frameworks: string[];
  score: number;
}

const hitColumns = `c.id as "chunkId", c.document_id as "documentId", d.url, d.title, d.author, s.name as source, d.kind,
  c.heading, c.heading_path as "headingPath", c.anchor, c.text, d.published_at as "publishedAt", d.fetched_at as "fetchedAt", d.frameworks`;

/** Appends the filter conditions to a where clause, numbering parameters after `params`. */
function filterClause(filters: SearchFilters | undefined, params: unknown[]): string {
  let clause = '';
  if (filters?.sources?.length) {
    params.push(filters.sources);
    clause += ` and s.name = any($${params.length}::text[])`;
  }
  if (filters?.authors?.length) {
    params.push(filters.authors.map((author) => author.toLowerCase()));
    clause += ` and lower(d.author) = any($${params.length}::text[])`;
  }
  return clause;
}

/**
 * The dense search statement: nearest chunks by cosine distance through the model's
 * partial HNSW index, filters applied as the index is walked (iterative scans keep `limit`
 * rows coming), merged with an exact scan of the model's vectors not yet in the index
 * (`unindexed_embeddings`, see VectorIndexing: empty on server Postgres, a run's new
 * vectors on PGlite until the run ends). Exported so that a test can EXPLAIN exactly what
 * search runs.
 */
export function denseSearchQuery(
  model: { id: string; dimensions: number },
  vector: EmbeddingVector,
  options: { limit: number; filters?: SearchFilters | undefined },
): { sql: string; params: unknown[] } {
  const dimensions = Math.trunc(model.dimensions);
  const params: unknown[] = [model.id, embeddingToSql(vector)];
  const filters = filterClause(options.filters, params);
  params.push(options.limit);
  const limit = `$${params.length}`;
  // The expression of the model's partial HNSW index (see EmbeddingsRepository), so that the planner uses it.
  const vectorType = vectorTypeOf(vector);
  const distance = `e.${vectorColumn(vectorType)}::${vectorType}(${dimensions}) <=> $2::${vectorType}(${dimensions})`;
  const nearest = (table: string) => `(select ${hitColumns}, 1 - (${distance}) as score
       from ${table} e
       join chunks c on c.content_hash = e.content_hash
       join documents d on d.id = c.document_id
       join sources s on s.id = c.source_id
       where e.model = $1 and d.status = 'active'${filters}
       order by ${distance}
       limit ${limit})`;
  // A vector is in one table or the other; `distinct on` keeps a chunk once should a
  // concurrent writer ever have put it in both.
  const sql = `select * from (
       select distinct on (candidates."chunkId") * from (
         ${nearest('embeddings')}
         union all
         ${nearest('unindexed_embeddings')}
       ) as candidates
       order by candidates."chunkId", candidates.score desc
     ) as hits
     order by hits.score desc, hits."chunkId"
     limit ${limit}`;
  return { sql, params };
}

/** Postings read per query term: bounds the cost of a keyword search whatever the corpus size. */
export const KEYWORD_POSTINGS_DEPTH = 200;

export class SearchRepository {
  constructor(private readonly database: Queryable) {}

  /** Nearest chunks by cosine distance (see denseSearchQuery). */
  async dense(
    model: { id: string; dimensions: number },
    vector: EmbeddingVector,
    options: { limit: number; filters?: SearchFilters },
  ): Promise<SearchHit[]> {
    const { sql, params } = denseSearchQuery(model, vector, options);
    return this.database.query<SearchHit>(sql, params);
  }

  /**
   * BM25 over the keyword postings: for each query term, the `depth` postings with the
   * highest weight (an index range scan on (term, weight desc)), scored as the sum of
   * weight × idf over the terms a chunk appears under. The cost is bounded by terms ×
   * depth, not by how many chunks contain a common word; a chunk's contribution from a
   * term where it ranks below `depth` is left out, which matters only for common terms,
   * whose IDF is low. Document frequencies are estimated from the planner's statistics of
   * the postings (most common terms and the number of distinct terms; see
   * refreshStatistics), so no counter rows are contended by concurrent ingestion.
   */
  async keyword(terms: readonly string[], options: { limit: number; filters?: SearchFilters; depth?: number }): Promise<SearchHit[]> {
    if (terms.length === 0) return [];
    const params: unknown[] = [terms, options.depth ?? KEYWORD_POSTINGS_DEPTH];
    let postingFilter = '';
    if (options.filters?.sources?.length) {
      params.push(options.filters.sources);
      postingFilter += ` and p.source_id = any(array(select id from sources where name = any($${params.length}::text[])))`;
    }
    if (options.filters?.authors?.length) {
      params.push(options.filters.authors.map((author) => author.toLowerCase()));
      postingFilter += ` and exists (select 1 from chunks fc join documents fd on fd.id = fc.document_id
        where fc.id = p.chunk_id and lower(fd.author) = any($${params.length}::text[]))`;
    }
    params.push(options.limit);
    return this.database.query<SearchHit>(
      `with totals as materialized (
         select greatest((select reltuples from pg_class where oid = 'chunks'::regclass), 0) as chunks,
                greatest((select reltuples from pg_class where oid = 'keyword_postings'::regclass), 0) as postings
       ), term_stats as materialized (
         select st.most_common_vals::text::text[] as common_terms, st.most_common_freqs as frequencies,
                (select coalesce(sum(f), 0) from unnest(st.most_common_freqs) as f) as common_share,
                case when st.n_distinct < 0 then -st.n_distinct * t.postings else st.n_distinct end as distinct_terms
         from pg_stats st, totals t
         where st.schemaname = current_schema() and st.tablename = 'keyword_postings' and st.attname = 'term'
       ), weighted as materialized (
         select q.term, ln(1 + (greatest(t.chunks, f.frequency) - f.frequency + 0.5) / (f.frequency + 0.5)) as idf
         from unnest($1::text[]) as q(term)
         cross join totals t
         left join term_stats ts on true
         cross join lateral (
           select coalesce(
             ts.frequencies[array_position(ts.common_terms, q.term)] * t.postings,
             (1 - ts.common_share) * t.postings / greatest(ts.distinct_terms - coalesce(array_length(ts.common_terms, 1), 0), 1),
             1) as frequency
         ) as f
       ), scored as materialized (
         select p.chunk_id, sum(p.weight * w.idf) as score
         from weighted w
         cross join lateral (
           select p.chunk_id, p.weight from keyword_postings p
           where p.term = w.term${postingFilter}
           order by p.weight desc limit $2
         ) as p
         group by p.chunk_id
         order by score desc, p.chunk_id
         limit $${params.length}
       )
       select ${hitColumns}, scored.score
       from scored
       join chunks c on c.id = scored.chunk_id
       join documents d on d.id = c.document_id
       join sources s on s.id = c.source_id
       where d.status = 'active'
       order by scored.score desc, c.content_hash`,
      params,
    );
  }
}
