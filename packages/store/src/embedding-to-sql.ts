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
