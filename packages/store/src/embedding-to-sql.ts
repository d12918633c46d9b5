import { isSparseEmbedding, sparseEmbedding, type EmbeddingVector } from '@cairn/core';
import { fromSql, SparseVector, toSql } from 'pgvector';

/**
 * The text pgvector reads for a vector of either kind: `[1,2.5,-3]` for a `vector`,
 * `{1:0.5,10:0.25}/10` for a `sparsevec`. Both SparseEmbedding and pgvector's SparseVector
 * number indices from zero; pgvector writes them one-based, as Postgres reads them.
 */
export function embeddingToSql(vector: EmbeddingVector): string {
  if (!isSparseEmbedding(vector)) return toSql(vector) as string;
  const entries = new Map(vector.indices.map((index, position) => [index, vector.values[position]!]));
  return toSql(new SparseVector(entries, vector.dimensions)) as string;
}

/** Parses pgvector's text form of a `vector` (`[1,2,3]`) or a `sparsevec` (`{1:0.5}/8`), as Postgres returns it. */
export function embeddingFromSql(text: string): EmbeddingVector {
  const parsed = fromSql(text) as number[] | SparseVector;
  if (Array.isArray(parsed)) return parsed;
  // Through sparseEmbedding, which drops non-finite values: pgvector 0.2.1 reads an empty
  // `{}/n` as one entry whose index and value are NaN.
  const values = parsed.values as number[];
  return sparseEmbedding(
    parsed.dimensions as number,
    (parsed.indices as number[]).map((index, position) => [index, values[position]!] as const),
  );
}

/**
 * pgvector's binary form of a vector of either kind, as its `vector_recv` and
 * `sparsevec_recv` read it: a statement parameter sent so (a Uint8Array; see
 * sendVectorsInBinary and node-postgres's Buffer parameters) is copied into the database as
 * it is, where the text form has every value parsed. On PGlite that parse dominated the
 * vectors' insert: 4.3 ms of 7.3 ms for a page's six passages of ~425 entries each
 * (WebAssembly's strtof). Values are rounded to the float4 that Postgres stores.
 *
 * `vector`: int16 dimensions, int16 0, then float4 values. `sparsevec`: int32 dimensions,
 * int32 entries, int32 0, the entries' zero-based indices (int32, strictly increasing), then
 * their float4 values, none zero. All big-endian. A sparse entry whose value rounds to a
 * float4 zero is left out (the binary form cannot hold a zero; the text form's parse refused
 * it as out of range), and of two entries at one index the later is kept (as embeddingToSql
 * keeps it). A value that is not a finite float4 (NaN, infinite, beyond ±3.4e38) throws, as
 * the text form was refused, and so does a dense vector of more than pgvector's 16,000
 * dimensions (its length would not fit the int16).
 */
export function embeddingToBinary(vector: EmbeddingVector): Uint8Array {
  const float4 = (value: number) => {
    const rounded = Math.fround(value);
    if (!Number.isFinite(rounded)) throw new RangeError(`Vector value ${value} is not a finite float4`);
    return rounded;
  };
  if (!isSparseEmbedding(vector)) {
    if (vector.length > 16_000) throw new RangeError(`A vector of ${vector.length} dimensions is over pgvector's 16,000`);
    const buffer = new ArrayBuffer(4 + 4 * vector.length);
    const view = new DataView(buffer);
    view.setInt16(0, vector.length);
    view.setInt16(2, 0);
    vector.forEach((value, index) => view.setFloat32(4 + 4 * index, float4(value)));
    return new Uint8Array(buffer);
  }
  // sparseEmbedding's vectors come sorted, each index once: taken as they are; any other
  // order is sorted, the later of two entries at one index kept.
  const increasing = vector.indices.every((index, position) => position === 0 || index > vector.indices[position - 1]!);
  let entries: Iterable<[number, number]> = vector.indices.map((index, position) => [index, float4(vector.values[position]!)]);
  if (!increasing) entries = [...new Map(entries)].sort((a, b) => a[0] - b[0]);
  const kept = [...entries].filter(([, value]) => value !== 0);
  const buffer = new ArrayBuffer(12 + 8 * kept.length);
  const view = new DataView(buffer);
  view.setInt32(0, vector.dimensions);
  view.setInt32(4, kept.length);
  view.setInt32(8, 0);
  kept.forEach(([index, value], position) => {
    view.setInt32(12 + 4 * position, index);
    view.setFloat32(12 + 4 * kept.length + 4 * position, value);
  });
  return new Uint8Array(buffer);
}
