import { describe, expect, it } from 'vitest';
import { ndcgAtK, reciprocalRankAtK, recallAtK } from './evaluation-metrics.js';

describe('evaluation metrics', () => {
  it('computes recall at k', () => {
    expect(recallAtK(['a', 'b'], ['x', 'a', 'y', 'z', 'q', 'b'], 5)).toBe(0.5);
    expect(recallAtK(['a'], [], 5)).toBe(0);
  });

  it('computes the reciprocal rank of the first hit within k', () => {
    expect(reciprocalRankAtK(['b', 'a'], ['x', 'a', 'b'], 10)).toBe(0.5);
    expect(reciprocalRankAtK(['a'], ['x', 'y', 'a'], 2)).toBe(0);
  });

  it('computes nDCG with binary relevance', () => {
    expect(ndcgAtK(['a', 'b'], ['a', 'b', 'c'], 10)).toBe(1);
    expect(ndcgAtK(['a'], ['x', 'a'], 10)).toBeCloseTo(1 / Math.log2(3), 10);
    expect(ndcgAtK(['a'], ['x'], 10)).toBe(0);
  });
});
