import { isSparseEmbedding, type EmbeddingVector, type VectorType } from '@cairn/core';
import { embeddingFromSql } from './embedding-to-sql.js';
import { vectorColumn } from './embeddings-repository.js';
import { fromPassageJson, type PassageJson, type SearchPassage } from './search-passage.js';
import { corpusVersion, passageJsonFields } from './search-queries.js';
import { sqlString, type SqlStatement } from './sql-statement.js';

/**
 * A small corpus held in memory for search: every active passage that has a vector under one
 * model, with its vector and its text and citation fields, as the database held them at one
 * version of the corpus (`corpusVersion`, see corpusVersion in search-queries.ts).
 *
 * Why: over a few hundred passages the dense list's exact scan is most of a search's time in
 * the database (PGlite: the sparse cosines of every vector, docs/benchmarks.md), where the
 * same ranking takes a fraction of a millisecond here. The passages' fields come with it, so
 * that loading the returned passages needs no statement either.
 *
 * Why it stays right: the version moves, at its commit, with every transaction that changes a
 * passage, a page, a source or a vector (migration 0014's triggers), and writers bump it one
 * after another. A statement that sees the version the memory was loaded at therefore sees
 * the same passages, pages, sources and vectors. Search reads the version in its keyword
 * statement (SearchRepository.candidateLists) and ranks the dense list here only when it
 * matches, whichever process wrote in between; otherwise the memory is dropped, the
 * statements rank as they do without it, and it is loaded again once searches see the corpus
 * still.
 */
export class CorpusMemory {
  private readonly count: number;
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
  ) {
    this.count = passages.length;
    this.chunkIds = passages.map((passage) => passage.chunkId);
    this.documentIds = passages.map((passage) => passage.documentId);
    this.kinds = passages.map((passage) => passage.kind);
    this.byChunk = new Map(passages.map((passage) => [passage.chunkId, frozenFields(passage)]));
    this.norms = new Float64Array(this.count);
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
        const vector = passage.vector as Extract<EmbeddingVector, { kind: 'sparse' }>;
        vector.indices.forEach((index, position) => {
          const at = filled[this.slots.get(index)!]!++;
          this.postingRows[at] = row;
          this.postingValues[at] = vector.values[position]!;
        });
      });
    } else {
      const first = passages[0]?.vector;
      this.dimensions = first && !isSparseEmbedding(first) ? first.length : 0;
      this.dense = new Float32Array(this.count * this.dimensions);
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
    return this.count;
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
  rank(vector: EmbeddingVector, limit: number): { chunkId: string; documentId: string; kind: 'article' | 'note'; score: number }[] | null {
    const dots = new Float64Array(this.count);
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
      for (let row = 0; row < this.count; row += 1) {
        let dot = 0;
        const base = row * this.dimensions;
        for (let index = 0; index < this.dimensions; index += 1)
          dot = Math.fround(dot + Math.fround(query[index]! * this.dense[base + index]!));
        dots[row] = dot;
      }
    }
    const scored: { row: number; score: number }[] = [];
    for (let row = 0; row < this.count; row += 1) {
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

  /** A held passage's text and citation fields (frozen), or undefined. */
  passage(chunkId: string): SearchPassage | undefined {
    return this.byChunk.get(chunkId);
  }
}

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

/** uuids as Postgres orders them: by their bytes, which is the order of their lower-case text. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The row of corpusMemoryQuery. */
export interface CorpusMemoryRow {
  corpusVersion: string;
  passages: string;
}

/**
 * Every active passage with a vector under `model` (of `vectorType`), at most `limit` + 1 (so
 * that the caller sees a corpus beyond its limit), with the corpus's version as the statement
 * saw it: one row, the passages as JSON text (dates as milliseconds since 1970, each vector in
 * pgvector's text form).
 */
export function corpusMemoryQuery(model: string, vectorType: VectorType, limit: number): SqlStatement {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`a memory limit must be a positive integer, not ${limit}`);
  const column = vectorColumn(vectorType);
  const modelParameter = sqlString(model);
  return {
    sql: `select ${corpusVersion} as "corpusVersion", coalesce(json_agg(p), '[]')::text as passages from (
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
     ) as p`,
    params: [],
  };
}

type MemoryPassageJson = PassageJson & { vector: string };

/**
 * The most vector entries a memory holds (about 8 bytes each in memory): 2,000 passages of the
 * local embedder (up to 900 entries each) fit, 2,000 of 1,536 dimensions do not (1,300 do).
 */
export const MEMORY_MAX_ENTRIES = 2_000_000;

/**
 * corpusMemoryQuery's row as a CorpusMemory, or null when the corpus has more than `limit`
 * passages or its vectors more than MEMORY_MAX_ENTRIES entries.
 */
export function toCorpusMemory(model: string, vectorType: VectorType, limit: number, row: CorpusMemoryRow): CorpusMemory | null {
  const rows = JSON.parse(row.passages) as MemoryPassageJson[];
  if (rows.length > limit) return null;
  const passages = rows.map((passage): MemoryPassage => ({ ...fromPassageJson(passage), vector: embeddingFromSql(passage.vector) }));
  const entries = passages.reduce(
    (sum, passage) => sum + (isSparseEmbedding(passage.vector) ? passage.vector.indices.length : passage.vector.length),
    0,
  );
  if (entries > MEMORY_MAX_ENTRIES) return null;
  return new CorpusMemory(model, vectorType, row.corpusVersion, passages);
}
