import { describe, expect, it } from 'vitest';
import { sparseEmbedding } from '@cairn/core';
import { embeddingFromSql, embeddingToBinary, embeddingToSql } from './embedding-to-sql.js';

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

describe("pgvector's binary forms", () => {
  it('writes a dense vector as int16 dimensions, int16 0 and big-endian float4 values', () => {
    const view = new DataView(embeddingToBinary([1, -2.5, 0]).buffer);
    expect(view.byteLength).toBe(4 + 3 * 4);
    expect([view.getInt16(0), view.getInt16(2)]).toEqual([3, 0]);
    expect([view.getFloat32(4), view.getFloat32(8), view.getFloat32(12)]).toEqual([1, -2.5, 0]);
  });

  it('writes a sparse vector as dimensions, entries, 0, zero-based indices and float4 values, without float4 zeros', () => {
    const vector = sparseEmbedding(16_777_316, [
      [16_777_315, 0.25],
      [0, 0.1],
      [7, 1e-50], // a float4 zero: left out (the binary form holds no zero)
    ]);
    const view = new DataView(embeddingToBinary(vector).buffer);
    expect(view.byteLength).toBe(12 + 2 * 8);
    expect([view.getInt32(0), view.getInt32(4), view.getInt32(8)]).toEqual([16_777_316, 2, 0]);
    expect([view.getInt32(12), view.getInt32(16)]).toEqual([0, 16_777_315]);
    expect([view.getFloat32(20), view.getFloat32(24)]).toEqual([Math.fround(0.1), 0.25]);
  });

  it('keeps the later of two entries at one index (as the text form does), in order of index', () => {
    const vector = { kind: 'sparse' as const, dimensions: 10, indices: [5, 2, 5], values: [1, 2, 3] };
    const view = new DataView(embeddingToBinary(vector).buffer);
    expect(view.getInt32(4)).toBe(2);
    expect([view.getInt32(12), view.getInt32(16), view.getFloat32(20), view.getFloat32(24)]).toEqual([2, 5, 2, 3]);
  });

  it('refuses a value that is no finite float4, and a dense vector over 16,000 dimensions', () => {
    expect(() => embeddingToBinary([1, Number.NaN])).toThrow(RangeError);
    expect(() => embeddingToBinary({ kind: 'sparse', dimensions: 4, indices: [1], values: [1e39] })).toThrow(/not a finite float4/);
    expect(() => embeddingToBinary(new Array<number>(16_001).fill(0.5))).toThrow(/16,000/);
    expect(embeddingToBinary(new Array<number>(16_000).fill(0.5)).byteLength).toBe(4 + 4 * 16_000);
  });

  it('writes an empty sparse vector as one with no entries', () => {
    expect([...embeddingToBinary(sparseEmbedding(3, []))]).toEqual([0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
