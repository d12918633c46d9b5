import { isSparseEmbedding, type EmbeddingVector, type SparseEmbedding, type VectorType } from '@cairn/core';
import { embeddingFromSql } from './embedding-to-sql.js';
import { vectorColumn } from './embeddings-repository.js';
import { fromPassageJson, type PassageJson, type SearchCandidate, type SearchPassage } from './search-passage.js';
import { corpusVersion, KEYWORD_POSTINGS_DEPTH, passageJsonFields, sqlLimit } from './search-queries.js';
import { sqlString, type SqlStatement } from './sql-statement.js';

/**
 * A small corpus held in memory for search: every active passage that has a vector under one
 * model, with its vector and its text and citation fields, and the keyword postings of every
 * passage (MemoryPostings), as the database held them at one version of the corpus
 * (`corpusVersion`, see corpusVersion in search-queries.ts).
 *
 * Why: over a few hundred passages the dense list's exact scan is most of a search's time in
 * the database (PGlite: the sparse cosines of every vector, docs/benchmarks.md), where the
 * same ranking takes a fraction of a millisecond here; the keyword list's statement was most
 * of what was left (planning and running it: 2 to 3 ms on a slow host), where its sums over a
 * few hundred postings take microseconds here. The passages' fields come with it, so that
 * loading the returned passages needs no statement either. A search then runs one statement
 * that reads the corpus's version and the statistics' fingerprint (corpusCheckQuery).
 *
 * Why it stays right: the version moves, at its commit, with every transaction that changes a
 * passage, a page, a source or a vector (migration 0014's triggers), and writers bump it one
 * after another. A statement that sees the version the memory was loaded at therefore sees
 * the same passages, pages, sources and vectors (a passage's postings are written and
 * deleted with it, in its transaction; keyword_postings has the trigger too, migration 0015).
 * Search reads the version (SearchRepository.candidateLists) and ranks here only when it
 * matches, whichever process wrote in between; otherwise the memory is dropped, the
 * statements rank as they do without it, and it is loaded again once searches see the corpus
 * still.
 */
export class CorpusMemory {
  private readonly chunkIds: string[];
  private readonly documentIds: string[];
  private readonly kinds: ('article' | 'note')[];
  private readonly norms: Float64Array;
  /** The passages' fields, frozen (they are handed to every search that loads them), without their vectors. */
  private readonly byChunk: Map<string, SearchPassage>;
  /** Sparse vectors, inverted: for each feature, the passages that have it and their values (CSR). */
  private readonly slots = new Map<number, number>();
  private readonly offsets: Int32Array = new Int32Array(0);
  private readonly postingRows: Int32Array = new Int32Array(0);
  private readonly postingValues: Float32Array = new Float32Array(0);
  /** Dense vectors, row after row. */
  private readonly dense: Float32Array = new Float32Array(0);
  private readonly dimensions: number;

  constructor(
    readonly model: string,
    readonly vectorType: VectorType,
    readonly corpusVersion: string,
    passages: readonly MemoryPassage[],
    private readonly postings: MemoryPostings = emptyPostings,
  ) {
    this.chunkIds = passages.map((passage) => passage.chunkId);
    this.documentIds = passages.map((passage) => passage.documentId);
    this.kinds = passages.map((passage) => passage.kind);
    this.byChunk = new Map(passages.map((passage) => [passage.chunkId, frozenFields(passage)]));
    this.norms = new Float64Array(passages.length);
    this.dimensions = 0;
    if (vectorType === 'sparsevec') {
      const counts = new Map<number, number>();
      passages.forEach((passage, row) => {
        const vector = passage.vector;
        if (!isSparseEmbedding(vector)) throw new TypeError(`passage ${passage.chunkId} has a dense vector in a sparse model's memory`);
        this.norms[row] = floatNorm(vector.values);
        for (const index of vector.indices) counts.set(index, (counts.get(index) ?? 0) + 1);
      });
      this.offsets = new Int32Array(counts.size + 1);
      let slot = 0;
      for (const [index, count] of counts) {
        this.slots.set(index, slot);
        this.offsets[slot + 1] = this.offsets[slot]! + count;
        slot += 1;
      }
      const total = this.offsets[counts.size]!;
      this.postingRows = new Int32Array(total);
      this.postingValues = new Float32Array(total);
      const filled = this.offsets.slice(0, counts.size);
      passages.forEach((passage, row) => {
        const vector = passage.vector as SparseEmbedding;
        vector.indices.forEach((index, position) => {
          const at = filled[this.slots.get(index)!]!++;
          this.postingRows[at] = row;
          this.postingValues[at] = vector.values[position]!;
        });
      });
    } else {
      const first = passages[0]?.vector;
      this.dimensions = first && !isSparseEmbedding(first) ? first.length : 0;
      this.dense = new Float32Array(passages.length * this.dimensions);
      passages.forEach((passage, row) => {
        const vector = passage.vector;
        if (isSparseEmbedding(vector) || vector.length !== this.dimensions)
          throw new TypeError(`passage ${passage.chunkId} has a vector of another kind or size in a dense model's memory`);
        this.dense.set(vector, row * this.dimensions);
        this.norms[row] = floatNorm(vector);
      });
    }
  }

  /** How many dense lists it has ranked. */
  served = 0;

  /** How many passages it holds. */
  get size(): number {
    return this.chunkIds.length;
  }

  /**
   * The dense list over the held passages: the `limit` nearest to `vector` by cosine, nearest
   * first, ties by chunk id, ranked exactly as the dense statement ranks a corpus of this size
   * (1 − cosine distance, computed as pgvector does: products and sums of single-precision
   * values, the division in double; pgvector may sum a norm in another order, so scores agree
   * to about 10⁻⁷ and a near tie may fall the other way). Where the statement would walk an
   * approximate index (a dense model's HNSW index, or two stages before the corpus's
   * statistics are read), this is the exact list. A passage whose vector has no direction is
   * near nothing (the statement's NaN). Null when the vector is not of the model's kind.
   */
  rank(vector: EmbeddingVector, limit: number): SearchCandidate[] | null {
    const count = this.chunkIds.length;
    const dots = new Float64Array(count);
    let queryNorm: number;
    if (this.vectorType === 'sparsevec') {
      if (!isSparseEmbedding(vector)) return null;
      queryNorm = floatNorm(vector.values);
      // The query's features in ascending order, so that each passage's products are summed
      // in the order pgvector's merge sums them.
      vector.indices.forEach((index, position) => {
        const slot = this.slots.get(index);
        if (slot === undefined) return;
        const value = Math.fround(vector.values[position]!);
        for (let at = this.offsets[slot]!, end = this.offsets[slot + 1]!; at < end; at += 1) {
          const row = this.postingRows[at]!;
          dots[row] = Math.fround(dots[row]! + Math.fround(value * this.postingValues[at]!));
        }
      });
    } else {
      if (isSparseEmbedding(vector) || vector.length !== this.dimensions) return null;
      const query = Float32Array.from(vector);
      queryNorm = floatNorm(query);
      for (let row = 0; row < count; row += 1) {
        let dot = 0;
        const base = row * this.dimensions;
        for (let index = 0; index < this.dimensions; index += 1)
          dot = Math.fround(dot + Math.fround(query[index]! * this.dense[base + index]!));
        dots[row] = dot;
      }
    }
    const scored: { row: number; score: number }[] = [];
    for (let row = 0; row < count; row += 1) {
      const norm = this.norms[row]! * queryNorm;
      if (!(norm > 0)) continue;
      const similarity = Math.max(-1, Math.min(1, dots[row]! / Math.sqrt(norm)));
      scored.push({ row, score: 1 - (1 - similarity) });
    }
    scored.sort((a, b) => b.score - a.score || compareIds(this.chunkIds[a.row]!, this.chunkIds[b.row]!));
    this.served += 1;
    return scored.slice(0, limit).map(({ row, score }) => ({
      chunkId: this.chunkIds[row]!,
      documentId: this.documentIds[row]!,
      kind: this.kinds[row]!,
      score,
    }));
  }

  /**
   * The keyword list and the page-level keyword evidence as keywordSearchQuery computes them
   * (with `pages`), over the postings held: for each term (`idfs` in the order of `terms`), its
   * `depth` postings of highest weight (ties by chunk id, the term index's order); each
   * passage scored by the sum of weight × idf over the terms it was read under, in the terms'
   * order; the best `limit` by score (ties by chunk id), those of active pages, ordered by
   * score, content hash and chunk id. Each page scores the sum, in the terms' order, of its
   * best posting's weight × idf for each term, the best `limit` pages (ties by document id).
   * The sums are the statement's term by term: equal to the last bit where the database adds
   * a passage's terms in the order it read them (its hash aggregate does; pageScores says so).
   */
  keywordList(
    terms: readonly string[],
    idfs: readonly number[],
    options: { limit: number; depth?: number | undefined; pages?: boolean | undefined },
  ): { keyword: SearchCandidate[]; pages?: Map<string, number> } {
    const { entries, byTerm, postingEntries, postingWeights } = this.postings;
    // The statement's checks, so that a bad limit fails alike whether the corpus is held or not.
    const limit = Number(sqlLimit(options.limit));
    const depth = Number(sqlLimit(options.depth ?? KEYWORD_POSTINGS_DEPTH));
    const scores = new Map<number, number>();
    // Per page and term: the highest weight read (the same IDF for a term each time).
    const best = options.pages ? new Map<string, Map<string, { weight: number; idf: number }>>() : undefined;
    terms.forEach((term, position) => {
      const range = byTerm.get(term);
      if (!range) return;
      const idf = idfs[position]!;
      for (let at = range.start, end = Math.min(range.start + depth, range.end); at < end; at += 1) {
        const entry = postingEntries[at]!;
        const weight = postingWeights[at]!;
        const score = scores.get(entry);
        scores.set(entry, score === undefined ? weight * idf : score + weight * idf);
        if (!best) continue;
        const documentId = entries[entry]!.documentId;
        let ofPage = best.get(documentId);
        if (!ofPage) best.set(documentId, (ofPage = new Map()));
        const previous = ofPage.get(term);
        if (!previous) ofPage.set(term, { weight, idf });
        else if (weight > previous.weight || idf > previous.idf)
          ofPage.set(term, { weight: Math.max(weight, previous.weight), idf: Math.max(idf, previous.idf) });
      }
    });
    const keyword = [...scores]
      .sort((a, b) => b[1] - a[1] || compareIds(entries[a[0]]!.chunkId, entries[b[0]]!.chunkId))
      .slice(0, limit)
      .filter(([entry]) => entries[entry]!.active)
      .sort(
        (a, b) =>
          b[1] - a[1] ||
          compareText(entries[a[0]]!.contentHash, entries[b[0]]!.contentHash) ||
          compareIds(entries[a[0]]!.chunkId, entries[b[0]]!.chunkId),
      )
      .map(([entry, score]) => {
        const { chunkId, documentId, kind } = entries[entry]!;
        return { chunkId, documentId, kind: kind!, score };
      });
    if (!best) return { keyword };
    const pages = [...best]
      .map(([documentId, ofPage]) => {
        let score = 0;
        for (const { weight, idf } of ofPage.values()) score += weight * idf;
        return [documentId, score] as const;
      })
      .sort((a, b) => b[1] - a[1] || compareIds(a[0], b[0]))
      .slice(0, limit);
    return { keyword, pages: new Map(pages) };
  }

  /** A held passage's text and citation fields (frozen), or undefined. */
  passage(chunkId: string): SearchPassage | undefined {
    return this.byChunk.get(chunkId);
  }
}

/** A passage that keyword postings name, as the keyword list reads it (its page's status and kind, its content hash). */
interface PostingEntry {
  chunkId: string;
  documentId: string;
  /** Null for postings whose passage is gone (none should be: a trigger deletes them with it). */
  kind: 'article' | 'note' | null;
  contentHash: string | null;
  /** Whether its page is active (the keyword list's join): false for a passage gone or of a page that is not. */
  active: boolean;
}

/**
 * The keyword postings held: every passage that has any (`entries`), and every posting as its
 * entry and weight, term after term, each term's in the term index's order (weight
 * descending, then chunk id); `byTerm` gives each term's range of them.
 */
export interface MemoryPostings {
  entries: PostingEntry[];
  byTerm: Map<string, { start: number; end: number }>;
  postingEntries: Int32Array;
  postingWeights: Float64Array;
  /** How many postings in all. */
  size: number;
}

const emptyPostings: MemoryPostings = {
  entries: [],
  byTerm: new Map(),
  postingEntries: new Int32Array(0),
  postingWeights: new Float64Array(0),
  size: 0,
};

/** A passage as CorpusMemory holds it: its text and citation fields and its vector. */
export interface MemoryPassage extends SearchPassage {
  vector: EmbeddingVector;
}

/** A passage's fields without its vector, frozen with its arrays. */
function frozenFields({ vector: _vector, ...fields }: MemoryPassage): SearchPassage {
  Object.freeze(fields.headingPath);
  Object.freeze(fields.frameworks);
  return Object.freeze(fields);
}

/** The squared norm as pgvector sums it: single-precision products and sums. */
function floatNorm(values: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < values.length; index += 1) {
    const value = Math.fround(values[index]!);
    sum = Math.fround(sum + Math.fround(value * value));
  }
  return sum;
}

/** Text as the database orders content hashes (lower-case hexadecimal, the same in every collation). */
function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** uuids as Postgres orders them: by their bytes, which is the order of their lower-case text. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The row of corpusMemoryQuery. */
export interface CorpusMemoryRow {
  corpusVersion: string;
  passages: string;
  /** JSON text: `[chunkId, documentId, kind, contentHash, active]` of each passage postings name, in the order `postings` numbers them. */
  postingEntries: string;
  /** JSON text: `[term, entries, weights]` of each term, its postings in the term index's order. */
  postings: string;
}

/**
 * Every active passage with a vector under `model` (of `vectorType`), at most `limit` + 1 (so
 * that the caller sees a corpus beyond its limit), with the corpus's version as the statement
 * saw it: one row, the passages as JSON text (dates as milliseconds since 1970, each vector in
 * pgvector's text form), and the keyword postings (CorpusMemoryRow), all in one snapshot. The
 * postings of each term come in the order the keyword list reads them (the term index's:
 * weight descending, then chunk id), their weights as doubles (exact, whatever the session's
 * extra_float_digits).
 */
export function corpusMemoryQuery(model: string, vectorType: VectorType, limit: number): SqlStatement {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`a memory limit must be a positive integer, not ${limit}`);
  const column = vectorColumn(vectorType);
  const modelParameter = sqlString(model);
  return {
    sql: `with memory_posting_entries as materialized (
       select k.chunk_id, k.document_id, (row_number() over (order by k.chunk_id, k.document_id) - 1)::int as entry
       from (select distinct chunk_id, document_id from keyword_postings) as k
     )
     select ${corpusVersion} as "corpusVersion",
     (select coalesce(json_agg(p), '[]')::text from (
       select ${passageJsonFields}, v.vector::text as vector
       from chunks c
       join documents d on d.id = c.document_id
       join sources s on s.id = c.source_id
       join lateral (
         (select e.${column} as vector from embeddings e where e.model = ${modelParameter} and e.content_hash = c.content_hash and e.${column} is not null)
         union all
         (select u.${column} from unindexed_embeddings u where u.model = ${modelParameter} and u.content_hash = c.content_hash and u.${column} is not null)
         limit 1
       ) as v on true
       where d.status = 'active'
       limit ${limit + 1}
     ) as p) as passages,
     (select coalesce(json_agg(json_build_array(e.chunk_id, e.document_id, d.kind, c.content_hash, coalesce(d.status = 'active', false))
        order by e.entry), '[]')::text
      from memory_posting_entries e left join chunks c on c.id = e.chunk_id left join documents d on d.id = c.document_id) as "postingEntries",
     (select coalesce(json_agg(json_build_array(t.term, t.entries, t.weights)), '[]')::text from (
        select p.term, array_agg(e.entry order by p.weight desc, p.chunk_id) as entries,
          array_agg(p.weight::float8 order by p.weight desc, p.chunk_id) as weights
        from keyword_postings p join memory_posting_entries e on e.chunk_id = p.chunk_id and e.document_id = p.document_id
        group by p.term
      ) as t) as postings`,
    params: [],
  };
}

type MemoryPassageJson = PassageJson & { vector: string };

/**
 * The most vector entries and keyword postings a memory holds (8 and 12 bytes each in memory,
 * besides a passage's fields and a term's entry in a map): 2,000 passages of the local
 * embedder (up to 900 entries and about 55 postings each) fit, 2,000 of 1,536 dimensions do
 * not (1,250 do).
 */
export const MEMORY_MAX_ENTRIES = 2_000_000;

/**
 * corpusMemoryQuery's row as a CorpusMemory, or null when the corpus has more than `limit`
 * passages or its vectors and postings more than MEMORY_MAX_ENTRIES entries.
 */
export function toCorpusMemory(model: string, vectorType: VectorType, limit: number, row: CorpusMemoryRow): CorpusMemory | null {
  const rows = JSON.parse(row.passages) as MemoryPassageJson[];
  if (rows.length > limit) return null;
  const passages = rows.map((passage): MemoryPassage => ({ ...fromPassageJson(passage), vector: embeddingFromSql(passage.vector) }));
  const postings = toMemoryPostings(row);
  const entries = passages.reduce(
    (sum, passage) => sum + (isSparseEmbedding(passage.vector) ? passage.vector.indices.length : passage.vector.length),
    postings.size,
  );
  if (entries > MEMORY_MAX_ENTRIES) return null;
  return new CorpusMemory(model, vectorType, row.corpusVersion, passages, postings);
}

/** corpusMemoryQuery's postings as MemoryPostings (each weight the single-precision value the table holds, as a double). */
function toMemoryPostings(row: CorpusMemoryRow): MemoryPostings {
  const entries = (JSON.parse(row.postingEntries) as [string, string, 'article' | 'note' | null, string | null, boolean][]).map(
    ([chunkId, documentId, kind, contentHash, active]): PostingEntry => ({ chunkId, documentId, kind, contentHash, active }),
  );
  const terms = JSON.parse(row.postings) as [string, number[], (number | string)[]][];
  const size = terms.reduce((sum, [, termEntries]) => sum + termEntries.length, 0);
  const byTerm = new Map<string, { start: number; end: number }>();
  const postingEntries = new Int32Array(size);
  const postingWeights = new Float64Array(size);
  let at = 0;
  for (const [term, termEntries, weights] of terms) {
    byTerm.set(term, { start: at, end: at + termEntries.length });
    termEntries.forEach((entry, index) => {
      postingEntries[at + index] = entry;
      postingWeights[at + index] = Number(weights[index]);
    });
    at += termEntries.length;
  }
  return { entries, byTerm, postingEntries, postingWeights, size };
}
