import { vectorTypeOf, type EmbeddingVector, type SearchFilters } from '@cairn/core';
import { embeddingToBinary } from './embedding-to-sql.js';
import { meaningToBinary, vectorColumn } from './embeddings-repository.js';
import { sqlString, type SqlStatement } from './sql-statement.js';
import { statisticsFingerprint } from './term-statistics.js';

export type { SqlStatement } from './sql-statement.js';

/**
 * What a ranked list's rows carry: what ranking reads (the chunk, its page, the page's kind
 * for the reranker, the list's score) and nothing it does not. Text and citation fields are
 * loaded for the passages retrieval returns (passagesQuery).
 */
export const candidateColumns = `c.id as "chunkId", c.document_id as "documentId", d.kind`;

/**
 * A passage's text and citation fields, over `chunks c join documents d join sources s`, its
 * two dates as `date` writes each column.
 */
const passageFields = (
  date: (column: string) => string,
) => `c.id as "chunkId", c.document_id as "documentId", d.url, d.title, d.author, s.name as source, d.kind,
  c.heading, c.heading_path as "headingPath", c.anchor, c.text, ${date('d.published_at')} as "publishedAt", ${date('d.fetched_at')} as "fetchedAt", d.frameworks`;
const passageColumns = passageFields((column) => column);

/** The same fields for a statement's JSON (PassageJson): dates as milliseconds since 1970, as JavaScript's Date reads them. */
export const passageJsonFields = passageFields((column) => `(extract(epoch from ${column}) * 1000)::float8`);

/**
 * A row limit written into the statement, not sent as a parameter: a prepared statement's
 * generic plan then costs the same as one planned for its parameters, so that server Postgres
 * settles on it (with `limit $n` it assumes a tenth of the rows and replans every time).
 * Which of these texts are prepared is bounded by SearchRepository.
 */
export function sqlLimit(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`a search limit must be a positive integer, not ${limit}`);
  return String(limit);
}

/**
 * Appends the filter conditions (over `chunks c` and `documents d`) to a where clause,
 * numbering parameters after `params`. The source filter reads `sources` once, as an
 * array of ids, so that a list joins no `sources` row per candidate.
 */
function filterClause(filters: SearchFilters | undefined, params: unknown[]): string {
  let clause = '';
  if (filters?.sources?.length) {
    params.push(filters.sources);
    clause += ` and c.source_id = any(array(select id from sources where name = any($${params.length}::text[])))`;
  }
  if (filters?.authors?.length) {
    params.push(filters.authors.map((author) => author.toLowerCase()));
    clause += ` and lower(d.author) = any($${params.length}::text[])`;
  }
  return clause;
}

/**
 * The corpus's version as text, `version@epoch` (migration 0014): it moves with every
 * transaction that changes a passage, its keyword postings (migration 0015), a page, a source
 * or a vector. Read in a search's
 * statement, it says whether the corpus held in memory (CorpusMemory) is still what the
 * statement sees.
 */
export const corpusVersion = `(select version::text || '@' || epoch from corpus_version)`;

/** Vectors an unfiltered dense list reads beyond its limit (see denseSearchQuery). */
const NEAREST_MARGIN = 10;

/** A model as search reads it: its id, its dimensions and its meaning part's (EmbeddingModelRecord), if any. */
export interface SearchModel {
  id: string;
  dimensions: number;
  meaningDimensions?: number | null | undefined;
}

/**
 * For a model with a meaning part: passages the meaning index's nearest take into the dense
 * list's exact ranking (at least; 4 × the list's limit when more), and the keyword list's
 * best passages that join them. Measured (docs/benchmarks.md, ingest section, sessions 13
 * and 14): on the development sets the nearest 400 by meaning and the best 200 by keyword
 * keep 0.997 - 0.999 of the exact top 50 (the meaning index alone, 200, keeps 0.83 - 0.89);
 * at 30,000 synthetic passages 0.954 of the exact top 10 (800: 0.982, for a quarter more
 * time), where an HNSW index over the whole sparse vectors kept 0.773.
 */
export const MEANING_CANDIDATES = 400;
export const LEXICAL_CANDIDATES = 200;

/**
 * Where a two-stage dense list takes its lexical candidates from: the query's terms and
 * their IDFs (the list scores them itself), or the name of a CTE of the enclosing statement
 * that holds the keyword list's scores (candidateListsQuery).
 */
export type LexicalCandidates = { terms: readonly string[]; idfs: readonly number[] } | { cte: string };

/**
 * The dense list: nearest chunks by cosine distance through the model's partial HNSW
 * index, filters applied as the index is walked (iterative scans keep `limit` rows
 * coming), merged with an exact scan of the model's vectors not yet in the index
 * (`unindexed_embeddings`, see VectorIndexing: a run's new vectors until the run ends). Rows carry candidateColumns, `score` and their
 * 1-based `position`, exact by score (then chunk id), and the first row the `statistics`
 * fingerprint (the query's term weights come from those statistics; see CorpusTermWeights in
 * @cairn/retrieve). Parameters are numbered after `params` and
 * appended to it, so that the statement can be part of a larger one (candidateListsQuery).
 * Exported so that a test can EXPLAIN exactly what search runs.
 *
 * A model with a meaning part (SearchModel.meaningDimensions) has its index on that part
 * alone: the list is then in two stages, the meaning index's nearest passages
 * (MEANING_CANDIDATES) and the keyword list's best (LEXICAL_CANDIDATES, from `lexical`)
 * ranked by the exact cosine of their whole vectors. A passage far in meaning and sharing no
 * term with the question is missed; its cosine is then small.
 */
export function denseSearchQuery(
  model: SearchModel,
  vector: EmbeddingVector,
  options: { limit: number; filters?: SearchFilters | undefined; joined?: boolean | undefined },
  params: unknown[] = [],
  lexical?: LexicalCandidates,
): SqlStatement {
  const dimensions = Math.trunc(model.dimensions);
  const meaningDimensions = model.meaningDimensions ? Math.trunc(model.meaningDimensions) : null;
  // Written into the statement, as the partial index's predicate is: a prepared statement's
  // generic plan can use the index only if its condition names the model itself.
  const modelParameter = sqlString(model.id);
  const ctes: string[] = [];
  // The keyword list's scores, for the lexical candidates of a two-stage list.
  let lexicalCte: string | undefined;
  if (meaningDimensions !== null && lexical) {
    if ('cte' in lexical) lexicalCte = lexical.cte;
    else if (lexical.terms.length > 0) {
      lexicalCte = 'lexical_candidates';
      const limit = Math.max(LEXICAL_CANDIDATES, options.limit);
      ctes.push(`${lexicalCte} as materialized (${keywordScores(lexical.terms, lexical.idfs, { ...options, limit }, params)})`);
    }
  }
  // In binary (embeddingToBinary): PGlite's WebAssembly parses a vector's text slowly.
  params.push(embeddingToBinary(vector));
  const vectorParameter = `$${params.length}`;
  let meaningDistance = '';
  // A question with no word the word vectors know has no meaning part (null): the meaning
  // stage then reads nothing, where it would rank 400 passages by a null distance.
  let meaningKnown = '';
  if (meaningDimensions !== null) {
    params.push(meaningToBinary(vector, meaningDimensions));
    meaningDistance = `e.meaning::vector(${meaningDimensions}) <=> $${params.length}::vector(${meaningDimensions})`;
    meaningKnown = ` and $${params.length}::vector(${meaningDimensions}) is not null`;
  }
  const filters = filterClause(options.filters, params);
  const limit = sqlLimit(options.limit);
  // The expression of the model's partial HNSW index (see EmbeddingsRepository), so that the planner uses it.
  const vectorType = vectorTypeOf(vector);
  const distance = `e.${vectorColumn(vectorType)}::${vectorType}(${dimensions}) <=> ${vectorParameter}::${vectorType}(${dimensions})`;
  // The distance is computed once a row, as the output column the index's order reads.
  // Unfiltered (the common case, and the prepared one), the nearest vectors are found first,
  // over the vectors alone, and only they are joined to their passages: an ordered index scan
  // as pgvector documents it, and on a small table a scan that computes each distance as it
  // reads the row, where the joined form carried every 3 kB vector through two hash joins
  // (PGlite, starter corpus: 3.5 -> 2.8 ms). Every vector of the model belongs to a passage
  // of an active page but for a moment during a write (a page's vectors and passages are
  // removed together, and so with a source), so a margin of rows covers those; should more
  // than the margin crowd the list (`crowded`), SearchRepository runs it again joined. Filtered,
  // the filters are applied as the index is walked (iterative scans), as a selective filter
  // would starve a list taken first.
  const nearestFirst = filters === '' && !options.joined;
  const read = sqlLimit(options.limit + NEAREST_MARGIN);
  const meaningLimit = sqlLimit(Math.max(MEANING_CANDIDATES, 4 * options.limit));
  // Two stages: the texts the meaning index finds nearest (joined to active passages that
  // pass the filters, when `joined`), and those of the keyword list's best.
  const twoStageTexts = (joined: boolean) =>
    `(${
      joined
        ? `(select e.content_hash from embeddings e
            join chunks c on c.content_hash = e.content_hash
            join documents d on d.id = c.document_id
            where e.model = ${modelParameter} and d.status = 'active'${filters}${meaningKnown}
            order by ${meaningDistance} limit ${meaningLimit})`
        : `(select e.content_hash from embeddings e where e.model = ${modelParameter}${meaningKnown} order by ${meaningDistance} limit ${meaningLimit})`
    }${lexicalCte ? `\n       union select lc.content_hash from ${lexicalCte} l join chunks lc on lc.id = l.chunk_id` : ''})`;
  // Nearest first: each table's nearest vectors (a CTE each, as each is also counted).
  const nearestVectors = (table: string) =>
    meaningDimensions !== null && table === 'embeddings'
      ? `(select e.content_hash, ${distance} as distance
       from ${twoStageTexts(false)} as k
       join embeddings e on e.model = ${modelParameter} and e.content_hash = k.content_hash
       order by distance limit ${read})`
      : `(select e.content_hash, ${distance} as distance from ${table} e
       where e.model = ${modelParameter} order by distance limit ${read})`;
  const nearest = (table: string, cte: string) =>
    nearestFirst
      ? `(select ${candidateColumns}, n.distance, '${cte}' as nearest_of
       from ${cte} n
       join chunks c on c.content_hash = n.content_hash
       join documents d on d.id = c.document_id
       where d.status = 'active')`
      : meaningDimensions !== null && table === 'embeddings'
        ? `(select ${candidateColumns}, ${distance} as distance
       from ${twoStageTexts(true)} as k
       join embeddings e on e.model = ${modelParameter} and e.content_hash = k.content_hash
       join chunks c on c.content_hash = k.content_hash
       join documents d on d.id = c.document_id
       where d.status = 'active'${filters}
       order by distance
       limit ${limit})`
        : `(select ${candidateColumns}, ${distance} as distance
       from ${table} e
       join chunks c on c.content_hash = e.content_hash
       join documents d on d.id = c.document_id
       where e.model = ${modelParameter} and d.status = 'active'${filters}
       order by distance
       limit ${limit})`;
  // Whether vectors without passages crowded a table's share of the list (SearchRepository
  // then runs it again joined): the table gave all the vectors it was asked for, yet fewer
  // than `limit` of them had a passage, so nearer passages of that table may lie beyond what
  // was read. Judged per table: with many vectors waiting to be indexed, one table's full
  // share would otherwise hide the other's crowding behind a full but wrong list.
  const crowdedTable = (cte: string) =>
    `((select count(*) from ${cte}) = ${read} and count(*) filter (where hits.nearest_of = '${cte}') over () < ${limit})`;
  const crowded = nearestFirst ? `${crowdedTable('nearest_indexed')} or ${crowdedTable('nearest_unindexed')}` : 'false';
  if (nearestFirst)
    ctes.push(`nearest_indexed as ${nearestVectors('embeddings')}`, `nearest_unindexed as ${nearestVectors('unindexed_embeddings')}`);
  // A vector is in one table or the other; `distinct on` keeps a chunk once should a
  // concurrent writer ever have put it in both.
  const sql = `${ctes.length > 0 ? `with ${ctes.join(', ')}\n     ` : ''}select hits."chunkId", hits."documentId", hits.kind, 1 - hits.distance as score,
       (row_number() over nearest)::int as position,
       case when row_number() over nearest = 1 then ${statisticsFingerprint} end as statistics,
       case when row_number() over nearest = 1 then ${crowded} end as crowded
     from (
       select distinct on (candidates."chunkId") * from (
         ${nearest('embeddings', 'nearest_indexed')}
         union all
         ${nearest('unindexed_embeddings', 'nearest_unindexed')}
       ) as candidates
       order by candidates."chunkId", candidates.distance
     ) as hits
     window nearest as (order by hits.distance, hits."chunkId")
     order by position
     limit ${limit}`;
  return { sql, params };
}

/** Postings read per query term: bounds the cost of a keyword search whatever the corpus size. */
export const KEYWORD_POSTINGS_DEPTH = 200;

/** What a keyword statement is asked for: the list's length, filters, postings read per term, and whether page-level evidence comes with it. */
export interface KeywordListOptions {
  limit: number;
  filters?: SearchFilters | undefined;
  depth?: number | undefined;
  /** Page-level keyword evidence too (pageScores), as JSON text in the `pages` field. */
  pages?: boolean | undefined;
  /**
   * The corpus's version as the statement saw it (corpusVersion) too, on its first row as
   * `corpusVersion`: whether the corpus changed since a CorpusMemory was loaded.
   */
  corpusVersion?: boolean | undefined;
}

/**
 * The keyword list: BM25 over the keyword postings (see SearchRepository.keywordCandidates),
 * each term weighted by its inverse document frequency (`idfs`, in the order of `terms`;
 * see inverseDocumentFrequency). Rows carry candidateColumns, `score`, `position` (best
 * first, ties by content hash, then chunk id), and the first row the `statistics` fingerprint the IDFs must
 * match and, with `options.pages`, the page-level evidence (`pages`, see pagesJson).
 * Parameters are numbered after `params` and appended to it, as for denseSearchQuery.
 */
export function keywordSearchQuery(
  terms: readonly string[],
  idfs: readonly number[],
  options: KeywordListOptions,
  params: unknown[] = [],
  scoredCte?: string,
): SqlStatement {
  const limit = sqlLimit(options.limit);
  // The scores, or the best `limit` of a CTE that holds more of them (candidateListsQuery).
  const scored = scoredCte ? `(select * from ${scoredCte} order by score desc, chunk_id limit ${limit}) as scored` : `scored`;
  // Part of candidateListsQuery (scoredCte), the rows must match the dense list's: that statement carries the pages itself.
  const pages = options.pages === true && !scoredCte;
  const withVersion = options.corpusVersion === true && !scoredCte;
  const ctes = scoredCte ? [] : keywordCtes(terms, idfs, { ...options, pages }, params, 'scored', options.limit);
  const sql = `${ctes.length > 0 ? `with ${ctes.join(',\n       ')}\n       ` : ''}select ${candidateColumns}, scored.score, (row_number() over best)::int as position,
         case when row_number() over best = 1 then ${statisticsFingerprint} end as statistics${
           pages ? `,\n         case when row_number() over best = 1 then ${pagesJson('keyword_pages')} end as pages` : ''
         }${withVersion ? `,\n         case when row_number() over best = 1 then ${corpusVersion} end as "corpusVersion"` : ''}
       from ${scored}
       join chunks c on c.id = scored.chunk_id
       join documents d on d.id = c.document_id
       where d.status = 'active'
       window best as (order by scored.score desc, c.content_hash, c.id)
       order by position`;
  return { sql, params };
}

/**
 * The postings a keyword statement reads, as a FROM clause of `w` (term, idf) and `p`
 * (chunk_id, document_id, weight): for each query term, the `depth` postings with the highest weight, ties by chunk (an
 * index range scan on (term, weight desc)), filters applied.
 */
function termPostings(
  terms: readonly string[],
  idfs: readonly number[],
  options: { filters?: SearchFilters | undefined; depth?: number | undefined },
  params: unknown[],
): string {
  params.push(terms);
  const termsParameter = `$${params.length}`;
  params.push(idfs);
  const idfsParameter = `$${params.length}`;
  const depth = sqlLimit(options.depth ?? KEYWORD_POSTINGS_DEPTH);
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
  return `unnest(${termsParameter}::text[], ${idfsParameter}::float8[]) with ordinality as w(term, idf, n)
         cross join lateral (
           select p.chunk_id, p.document_id, p.weight from keyword_postings p
           where p.term = w.term${postingFilter}
           order by p.weight desc, p.chunk_id limit ${depth}
         ) as p`;
}

/** The columns of a read of the postings (termPostings): the term, its IDF and place in the query, and the posting's chunk, page and weight. */
const postingColumns = 'w.term, w.idf, w.n, p.chunk_id, p.document_id, p.weight';

/**
 * The keyword list's scores (`chunk_id`, `score`), best first, at most `limit`, from `postings`
 * (a FROM item `k` with postingColumns): BM25, the sum of weight × idf over the terms a chunk
 * appears under.
 */
function chunkScores(postings: string, limit: number): string {
  return `select k.chunk_id, sum(k.weight * k.idf) as score
         from ${postings}
         group by k.chunk_id
         order by score desc, k.chunk_id
         limit ${sqlLimit(limit)}`;
}

/**
 * The keyword list's scores (`chunk_id`, `score`), best first, at most `limit`: the body of a
 * CTE for keywordSearchQuery and a two-stage dense list's lexical candidates.
 */
function keywordScores(
  terms: readonly string[],
  idfs: readonly number[],
  options: { limit: number; filters?: SearchFilters | undefined; depth?: number | undefined },
  params: unknown[],
): string {
  return chunkScores(`(select ${postingColumns} from ${termPostings(terms, idfs, options, params)}) as k`, options.limit);
}

/**
 * Page-level keyword evidence (`document_id`, `score`), best first, at most `limit` pages,
 * from `postings` (a FROM item `k` with postingColumns): for each query term, the weight of
 * the page's best passage under it times the term's IDF, summed over the terms. A page that
 * holds many of the question's terms, each somewhere among its passages, scores above one
 * whose single passage holds a few: the evidence of plain BM25 over whole pages, which on
 * short one-topic pages ranks the right page higher than any passage does
 * (docs/evaluation.md), read from the postings the keyword list reads (each posting's page
 * is in the term index, migration 0013). Pages are not checked for being active: only pages
 * the passage lists found take credit from it (rankPages), and those are. A term given twice
 * counts once here (a chunk's score counts it twice); queryTerms gives each term once.
 */
function pageScores(postings: string, limit: number): string {
  // Summed in the terms' order (of each term's first place in the query): a sum of doubles
  // depends on its order, and pages that tie would otherwise come in an order of the hash
  // table's, not the same twice (nor the memory's, CorpusMemory.keywordList).
  return `select best.document_id, sum(best.weight * best.idf order by best.n)::float8 as score
         from (
           select k.document_id, max(k.idf) as idf, max(k.weight) as weight, min(k.n) as n
           from ${postings}
           group by k.document_id, k.term
         ) as best
         group by best.document_id
         order by score desc, best.document_id
         limit ${sqlLimit(limit)}`;
}

/**
 * The CTEs of the keyword scores, named `scoresCte` (at most `scoresLimit`), and with
 * `options.pages` of the page-level evidence, `keyword_pages` (at most `options.limit`
 * pages), both from one read of the postings (`keyword_postings_read`).
 */
function keywordCtes(
  terms: readonly string[],
  idfs: readonly number[],
  options: KeywordListOptions,
  params: unknown[],
  scoresCte: string,
  scoresLimit: number,
): string[] {
  if (!options.pages) return [`${scoresCte} as materialized (${keywordScores(terms, idfs, { ...options, limit: scoresLimit }, params)})`];
  return [
    `keyword_postings_read as materialized (select ${postingColumns} from ${termPostings(terms, idfs, options, params)})`,
    `${scoresCte} as materialized (${chunkScores('keyword_postings_read k', scoresLimit)})`,
    `keyword_pages as materialized (${pageScores('keyword_postings_read k', options.limit)})`,
  ];
}

/** A scalar subquery: the rows of a pageScores CTE as JSON text, an array of `[documentId, score]`, best first. */
function pagesJson(cte: string): string {
  return `(select coalesce(json_agg(json_build_array(k.document_id, k.score) order by k.score desc, k.document_id), '[]')::text from ${cte} k)`;
}

/**
 * The row of candidateListsQuery: each list as JSON text, an array of `[chunkId, documentId,
 * kind, score]` in the list's order; the statistics' fingerprint as the statement saw it
 * (SearchRepository compares it with the one the query's IDFs came from); and
 * whether vectors without passages crowded the dense list (see denseSearchQuery).
 */
export interface CandidateListsRow {
  dense: string;
  keyword: string;
  statistics: string | null;
  crowded: boolean | null;
  /** The corpus's version as the statement saw it (corpusVersion): see CorpusMemory. */
  corpusVersion: string;
  /** With `options.pages`: the page-level keyword evidence, JSON text of `[documentId, score]` pairs, best first. */
  pages?: string | null;
}

/** A list's candidate as candidateListsQuery's JSON has it. */
export type CandidateListEntry = [chunkId: string, documentId: string, kind: 'article' | 'note', score: number | string];

/**
 * Both lists in one statement, as one row (CandidateListsRow). For a model with a meaning
 * part, the keyword scores are computed once, as many as the dense list's lexical candidates
 * need, and the keyword list takes its best `limit` of them.
 *
 * The lists come as JSON text, not as rows: on PGlite each field of a result costs its own
 * decoding (and, PGlite running in its own thread, its own copy to the caller), and the 100
 * rows × 8 columns of the lists cost more than computing them (starter corpus, p50 of the
 * statement: 3.1 ms as rows, 2.4 ms as JSON text; docs/benchmarks.md, foundation section).
 * The text is parsed by the caller, off PGlite's thread.
 */
export function candidateListsQuery(
  model: SearchModel,
  vector: EmbeddingVector,
  terms: readonly string[],
  idfs: readonly number[],
  options: KeywordListOptions,
): SqlStatement {
  const params: unknown[] = [];
  // The dense list's lexical candidates (a model with a meaning part) and the pages come from the statement's keyword scores.
  const shared = model.meaningDimensions ? 'keyword_scores' : undefined;
  const scoresCte = shared ?? (options.pages ? 'keyword_scores' : undefined);
  const ctes = scoresCte
    ? keywordCtes(terms, idfs, options, params, scoresCte, shared ? Math.max(LEXICAL_CANDIDATES, options.limit) : options.limit)
    : [];
  const scores = ctes.length > 0 ? `with ${ctes.join(',\n      ')}\n      ` : '';
  const dense = denseSearchQuery(model, vector, options, params, shared ? { cte: shared } : undefined);
  const keyword = keywordSearchQuery(terms, idfs, { ...options, pages: false, corpusVersion: false }, params, scoresCte);
  const list = (name: string) =>
    `coalesce(json_agg(json_build_array(rows."chunkId", rows."documentId", rows.kind, rows.score) order by rows.position)
        filter (where rows.list = '${name}'), '[]')::text as ${name}`;
  return {
    sql: `${scores}select ${list('dense')}, ${list('keyword')},
      max(rows.statistics) as statistics, bool_or(rows.crowded) as crowded, ${corpusVersion} as "corpusVersion"${options.pages ? `, ${pagesJson('keyword_pages')} as pages` : ''}
    from (
      select 'dense' as list, ranked.* from (${dense.sql}) as ranked
      union all
      select 'keyword' as list, ranked.*, null::boolean as crowded from (${keyword.sql}) as ranked
    ) as rows`,
    params,
  };
}

/**
 * The corpus's version (corpusVersion) and the postings' statistics fingerprint, as one row:
 * all a search needs from the database while the corpus is held in memory (CorpusMemory ranks
 * both lists), to know the memory current and its query's IDFs those of the current statistics.
 */
export function corpusCheckQuery(): SqlStatement {
  return { sql: `select ${corpusVersion} as "corpusVersion", ${statisticsFingerprint} as statistics`, params: [] };
}

/**
 * How many passages each of the given documents has (`documentId`, `chunks`): the length of a
 * page in passages, which page-level evidence normalises by (see rankPages). Reads the
 * `(document_id, ordinal)` unique index only.
 */
export function pageLengthsQuery(documentIds: readonly string[]): SqlStatement {
  return {
    sql: `select c.document_id as "documentId", count(*)::int as chunks
       from chunks c
       where c.document_id = any($1::uuid[])
       group by c.document_id`,
    params: [documentIds],
  };
}

/**
 * The text and citation fields of the given chunks, of active documents only (in no
 * particular order), as one row: `passages`, JSON text of an array of SearchPassage objects
 * whose dates are milliseconds since 1970 (UTC). One field, not 14 a passage: on PGlite each
 * result field costs its own decoding on PGlite's thread (see candidateListsQuery). Not the
 * dates' JSON text: Postgres writes it in the session's time zone, with offsets in seconds
 * before 1900 and a " BC" suffix, which JavaScript's Date does not read.
 */
export function passagesQuery(chunkIds: readonly string[]): SqlStatement {
  return {
    sql: `select coalesce(json_agg(p), '[]')::text as passages from (
       select ${passageJsonFields}
       from chunks c
       join documents d on d.id = c.document_id
       join sources s on s.id = c.source_id
       where c.id = any($1::uuid[]) and d.status = 'active'
     ) as p`,
    params: [chunkIds],
  };
}

/**
 * A ranked list's statement with each row's text and citation fields joined on, in the
 * list's order (and the keyword list's `statistics`, when `keyword`).
 */
export function withPassages(list: SqlStatement, options: { keyword?: boolean } = {}): SqlStatement {
  return {
    sql: `select ${passageColumns}, ranked.score${options.keyword ? ', ranked.statistics' : ''}
       from (${list.sql}) as ranked
       join chunks c on c.id = ranked."chunkId"
       join documents d on d.id = c.document_id
       join sources s on s.id = c.source_id
       order by ranked.position`,
    params: list.params,
  };
}
