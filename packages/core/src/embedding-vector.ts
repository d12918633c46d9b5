/**
 * A sparse embedding: the non-zero entries of a vector of `dimensions` (pgvector's
 * `sparsevec`), indices zero-based and strictly ascending. A model whose vectors name
 * features from a space far larger than any dense vector could hold (a term per index)
 * produces these; search compares them by cosine as it does dense vectors.
 */
export interface SparseEmbedding {
  readonly kind: 'sparse';
  readonly dimensions: number;
  readonly indices: readonly number[];
  readonly values: readonly number[];
}

/** A vector as an embedder returns it: dense (pgvector `vector`) or sparse (`sparsevec`). */
export type EmbeddingVector = number[] | SparseEmbedding;

/** The pgvector column type a model's vectors are stored in. */
export type VectorType = 'vector' | 'sparsevec';

export function isSparseEmbedding(vector: EmbeddingVector): vector is SparseEmbedding {
  return !Array.isArray(vector) && vector.kind === 'sparse';
}

/** The pgvector type of a vector. */
export function vectorTypeOf(vector: EmbeddingVector): VectorType {
  return isSparseEmbedding(vector) ? 'sparsevec' : 'vector';
}

/**
 * A sparse embedding from index → value entries (zeros and non-finite values dropped),
 * sorted by index. Throws on an index outside [0, dimensions).
 */
export function sparseEmbedding(dimensions: number, entries: Iterable<readonly [number, number]>): SparseEmbedding {
  const kept = [...entries].filter(([, value]) => value !== 0 && Number.isFinite(value)).sort((a, b) => a[0] - b[0]);
  for (const [index] of kept) {
    if (!Number.isInteger(index) || index < 0 || index >= dimensions)
      throw new RangeError(`Sparse index ${index} outside 0..${dimensions - 1}`);
  }
  return { kind: 'sparse', dimensions, indices: kept.map(([index]) => index), values: kept.map(([, value]) => value) };
}

/**
 * Whether a vector has no direction (no non-zero entry): a query of stop words or symbols
 * alone. Nothing is near it by cosine (pgvector's cosine distance to it is NaN).
 */
export function isZeroVector(vector: EmbeddingVector): boolean {
  const values = isSparseEmbedding(vector) ? vector.values : vector;
  return values.every((value) => value === 0);
}

/** Cosine similarity of two vectors of the same kind (0 when either is zero). */
export function cosineSimilarity(a: EmbeddingVector, b: EmbeddingVector): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  if (isSparseEmbedding(a) && isSparseEmbedding(b)) {
    let j = 0;
    for (let i = 0; i < a.indices.length; i += 1) {
      while (j < b.indices.length && b.indices[j]! < a.indices[i]!) j += 1;
      if (j < b.indices.length && b.indices[j] === a.indices[i]) dot += a.values[i]! * b.values[j]!;
    }
    for (const value of a.values) normA += value * value;
    for (const value of b.values) normB += value * value;
  } else if (!isSparseEmbedding(a) && !isSparseEmbedding(b)) {
    for (let i = 0; i < a.length; i += 1) {
      dot += a[i]! * b[i]!;
      normA += a[i]! * a[i]!;
      normB += b[i]! * b[i]!;
    }
  } else {
    throw new TypeError('Cannot compare a sparse and a dense vector');
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
