import { describe, expect, it } from 'vitest';
import {
  cosineSimilarity,
  embeddingFromSql,
  embeddingToSql,
  isSparseEmbedding,
  sparseEmbedding,
  vectorTypeOf,
} from './embedding-vector.js';

describe('embedding vectors', () => {
  it("writes and reads pgvector's text forms, sparse indices one-based and sorted", () => {
    const vector = sparseEmbedding(10, [
      [9, 0.25],
      [0, 0.5],
      [4, 0],
    ]);
    expect(vector).toEqual({ kind: 'sparse', dimensions: 10, indices: [0, 9], values: [0.5, 0.25] });
    expect(embeddingToSql(vector)).toBe('{1:0.5,10:0.25}/10');
    expect(embeddingFromSql('{1:0.5,10:0.25}/10')).toEqual(vector);
    expect(embeddingFromSql('{}/3')).toEqual(sparseEmbedding(3, []));
    expect(embeddingFromSql('[1,2.5,-3]')).toEqual([1, 2.5, -3]);
    expect(embeddingToSql([1, 2.5, -3])).toBe('[1,2.5,-3]');
    expect(() => embeddingFromSql('1,2')).toThrow(/Not a pgvector/);
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
