import { describe, expect, it } from 'vitest';
import { diversify, fuseRankings } from './fuse-rankings.js';

describe('fuseRankings', () => {
  it('scores items by reciprocal rank across lists and reports each rank', () => {
    const fused = fuseRankings(
      [
        ['a', 'b', 'c'],
        ['c', 'a', 'd'],
      ],
      (item) => item,
    );
    expect(fused.map((entry) => entry.item)).toEqual(['a', 'c', 'b', 'd']);
    expect(fused[0]).toEqual({ item: 'a', score: 1 / 61 + 1 / 62, ranks: [1, 2] });
    expect(fused.find((entry) => entry.item === 'd')!.ranks).toEqual([null, 3]);
  });

  it('keeps the first rank of an item repeated within a list', () => {
    const fused = fuseRankings([['a', 'a']], (item) => item);
    expect(fused).toEqual([{ item: 'a', score: 1 / 61, ranks: [1] }]);
  });
});

describe('diversify', () => {
  const ranked = ['a1', 'a2', 'a3', 'a4', 'b1', 'c1'];
  const groupOf = (item: string) => item[0]!;

  it('lets no group take more than its share while others can fill the slots', () => {
    expect(diversify(ranked, groupOf, 4, 2)).toEqual(['a1', 'a2', 'b1', 'c1']);
  });

  it('fills the rest from the best deferred items when too few groups exist', () => {
    expect(diversify(ranked, groupOf, 5, 2)).toEqual(['a1', 'a2', 'a3', 'b1', 'c1']);
    expect(diversify(['a1', 'a2', 'a3'], groupOf, 3, 1)).toEqual(['a1', 'a2', 'a3']);
  });
});

describe('fuseRankings with weights', () => {
  it('scales each list by its weight', () => {
    const fused = fuseRankings([['a'], ['b']], (item) => item, { weights: [0.5, 1] });
    expect(fused.map((entry) => entry.item)).toEqual(['b', 'a']);
    expect(fused[1]!.score).toBeCloseTo(0.5 / 61, 12);
  });
});
