import pgvector from 'pgvector';
import type { SearchFilters } from '@cairn/core';
import type { Queryable } from './database.js';

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
  frameworks: string[];
  score: number;
}

const hitColumns = `c.id as "chunkId", c.document_id as "documentId", d.url, d.title, d.author, s.name as source, d.kind,
  c.heading, c.heading_path as "headingPath", c.anchor, c.text, d.published_at as "publishedAt", d.frameworks`;

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
 * rows coming). Exported so that a test can EXPLAIN exactly what search runs.
 */
export function denseSearchQuery(
  model: { id: string; dimensions: number },
  vector: number[],
  options: { limit: number; filters?: SearchFilters | undefined },
): { sql: string; params: unknown[] } {
  const dimensions = Math.trunc(model.dimensions);
  const params: unknown[] = [model.id, pgvector.toSql(vector)];
  const filters = filterClause(options.filters, params);
  params.push(options.limit);
  const sql = `select ${hitColumns}, 1 - (e.embedding::vector(${dimensions}) <=> $2::vector(${dimensions})) as score
     from embeddings e
     join chunks c on c.content_hash = e.content_hash
     join documents d on d.id = c.document_id
     join sources s on s.id = c.source_id
     where e.model = $1 and d.status = 'active'${filters}
     order by e.embedding::vector(${dimensions}) <=> $2::vector(${dimensions})
     limit $${params.length}`;
  return { sql, params };
}

/** Terms in more than this share of chunks do not select keyword matches on their own
 * (measured on the gold set: hybrid nDCG@10 0.762 with no pruning, 0.771 at 0.3, 0.767 at
 * 0.2, 0.746 at 0.1). */
export const KEYWORD_COMMON_TERM_SHARE = 0.3;

export class SearchRepository {
  constructor(private readonly database: Queryable) {}

  /** Nearest chunks by cosine distance (see denseSearchQuery). */
  async dense(model: { id: string; dimensions: number }, vector: number[], options: { limit: number; filters?: SearchFilters }): Promise<SearchHit[]> {
    const { sql, params } = denseSearchQuery(model, vector, options);
    return this.database.query<SearchHit>(sql, params);
  }

  /**
   * Chunks matching the query's discriminating stemmed terms, ranked by ts_rank over all
   * its terms (headings weighted above body text). Terms are OR-ed: questions are
   * sentences, not keyword lists. Terms that occur in more than `commonTermShare` of the
   * chunks (per the planner's statistics, see refreshStatistics) do not select rows on
   * their own: an OR of "team" and "engineer" matches nearly everything, and ranking every
   * match is what made keyword search slow (33 ms of 34 at 10,000 chunks). When every
   * term is common, the rarest one selects, so a query of common words still finds something.
   * Cover density (ts_rank_cd) was measured too and ranked worse on the gold set
   * (nDCG@10 0.681 against 0.762), as it rewards terms close together.
   */
  async keyword(query: string, options: { limit: number; filters?: SearchFilters; commonTermShare?: number }): Promise<SearchHit[]> {
    const params: unknown[] = [query, options.commonTermShare ?? KEYWORD_COMMON_TERM_SHARE];
    const filters = filterClause(options.filters, params);
    params.push(options.limit);
    return this.database.query<SearchHit>(
      `with stats as (
         select most_common_elems::text::text[] as elements, most_common_elem_freqs as frequencies
         from pg_stats where schemaname = current_schema() and tablename = 'chunks' and attname = 'search_vector'
       ), terms as (
         select t.lexeme, coalesce((select s.frequencies[array_position(s.elements, t.lexeme)] from stats s), 0) as share
         from unnest(tsvector_to_array(to_tsvector('english', $1))) as t(lexeme)
       ), selecting as (
         select lexeme from terms where share <= $2
         union all
         select lexeme from (select lexeme from terms order by share, lexeme limit 1) as rarest
         where not exists (select 1 from terms where share <= $2)
       ), q as (
         select (select string_agg(quote_literal(lexeme), ' | ') from selecting)::tsquery as selector,
                (select string_agg(quote_literal(lexeme), ' | ') from terms)::tsquery as query
       )
       select ${hitColumns}, ts_rank(c.search_vector, q.query, 0) as score
       from q, chunks c
       join documents d on d.id = c.document_id
       join sources s on s.id = c.source_id
       where q.selector is not null and c.search_vector @@ q.selector and d.status = 'active'${filters}
       order by score desc, c.content_hash
       limit $${params.length}`,
      params,
    );
  }
}
