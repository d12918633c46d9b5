import { describe, expect, it } from 'vitest';
import { cosineSimilarity, isSparseEmbedding, sparseEmbedding, vectorTypeOf } from './embedding-vector.js';

describe('embedding vectors', () => {
  it('keeps the non-zero entries of a sparse vector, sorted by index, and refuses an index out of range', () => {
    const vector = sparseEmbedding(10, [
      [9, 0.25],
      [0, 0.5],
      [4, 0],
    ]);
    expect(vector).toEqual({ kind: 'sparse', dimensions: 10, indices: [0, 9], values: [0.5, 0.25] });
    expect(() => sparseEmbedding(4, [[4, 1]])).toThrow(RangeError);
  });

  it('tells the kinds apart and compares two vectors of one kind by cosine', () => {
    const a = sparseEmbedding(1_000_000, [
      [5, 3],
      [999_999, 4],
    ]);
    const b = sparseEmbedding(1_000_000, [[999_999, 1]]);
    expect(isSparseEmbedding(a)).toBe(true);
    expect(vectorTypeOf(a)).toBe('sparsevec');
    expect(vectorTypeOf([1, 0])).toBe('vector');
    expect(cosineSimilarity(a, b)).toBeCloseTo(0.8, 10);
    expect(cosineSimilarity([3, 4], [4, 3])).toBeCloseTo(24 / 25, 10);
    expect(cosineSimilarity(sparseEmbedding(3, []), b)).toBe(0);
    expect(() => cosineSimilarity(a, [1, 2])).toThrow(TypeError);
  });
});
