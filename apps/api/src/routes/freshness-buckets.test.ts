import { describe, expect, it } from 'vitest';
import { freshnessBuckets, freshnessThresholds } from './freshness-buckets.js';

describe('freshnessThresholds', () => {
  it('cuts at a day, a week and the stale age, leaving out cuts at or past it', () => {
    expect(freshnessThresholds(30)).toEqual([1, 7, 30]);
    expect(freshnessThresholds(7)).toEqual([1, 7]);
    expect(freshnessThresholds(3)).toEqual([1, 3]);
    expect(freshnessThresholds(1)).toEqual([1]);
  });
});

describe('freshnessBuckets', () => {
  it('lists every bucket youngest first, the last one stale, with the pages counted in each', () => {
    const buckets = freshnessBuckets(
      [
        { bucket: 0, pages: 4 },
        { bucket: 3, pages: 2 },
      ],
      [1, 7, 30],
    );
    expect(buckets).toEqual([
      { fromDays: 0, toDays: 1, pages: 4, stale: false },
      { fromDays: 1, toDays: 7, pages: 0, stale: false },
      { fromDays: 7, toDays: 30, pages: 0, stale: false },
      { fromDays: 30, toDays: null, pages: 2, stale: true },
    ]);
  });

  it('has one fresh and one stale bucket when the stale age is a day', () => {
    expect(freshnessBuckets([{ bucket: 1, pages: 9 }], [1])).toEqual([
      { fromDays: 0, toDays: 1, pages: 0, stale: false },
      { fromDays: 1, toDays: null, pages: 9, stale: true },
    ]);
  });
});
