import { describe, expect, it } from 'vitest';
import { sparseEmbedding } from '@cairn/core';
import { embeddingFromSql, embeddingToSql } from './embedding-to-sql.js';

describe("pgvector's text forms", () => {
  it('writes a dense vector as a JSON array and reads it back', () => {
    expect(embeddingToSql([1, 2.5, -3, 1e-7])).toBe('[1,2.5,-3,1e-7]');
    expect(embeddingFromSql('[1,2.5,-3,1e-07]')).toEqual([1, 2.5, -3, 1e-7]);
  });

  it('writes a sparse vector with one-based indices, sorted, and reads it back zero-based', () => {
    const vector = sparseEmbedding(16_777_316, [
      [16_777_315, 0.25],
      [0, 0.5],
      [4, 0],
      [99, -1e-7],
    ]);
    expect(vector.indices).toEqual([0, 99, 16_777_315]);
    expect(embeddingToSql(vector)).toBe('{1:0.5,100:-1e-7,16777316:0.25}/16777316');
    expect(embeddingFromSql('{1:0.5,100:-1e-07,16777316:0.25}/16777316')).toEqual(vector);
  });

  it('reads an empty sparse vector, as a text with no features embeds, as one with no entries', () => {
    expect(embeddingToSql(sparseEmbedding(3, []))).toBe('{}/3');
    expect(embeddingFromSql('{}/3')).toEqual(sparseEmbedding(3, []));
  });

  it('refuses text that is neither form', () => {
    expect(() => embeddingFromSql('1,2')).toThrow(/invalid text representation/);
  });
});
