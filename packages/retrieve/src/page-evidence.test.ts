import { describe, expect, it } from 'vitest';
import { rankPages } from './page-evidence.js';

const page = (id: string) => id.split('#')[0]!;

describe('rankPages', () => {
  it('ranks a page whose passages match together above a page with one lucky top passage', () => {
    const dense = ['lucky#1', 'guide#1', 'guide#2', 'other#1'];
    const keyword = ['lucky#2', 'guide#3', 'guide#1', 'other#2'];
    const pages = rankPages([dense, keyword], page);
    expect(pages.get('guide')!.rank).toBe(1);
    expect(pages.get('lucky')!.rank).toBe(2);
    expect(pages.get('other')!.rank).toBe(3);
  });

  it('counts only the best passages of a page in each list, so length alone does not win', () => {
    const long = Array.from({ length: 12 }, (_, index) => `long#${index}`);
    const list = ['focused#1', 'focused#2', ...long];
    const capped = rankPages([list], page, { passagesPerPage: 2 });
    expect(capped.get('focused')!.rank).toBe(1);
    const uncapped = rankPages([list], page, { passagesPerPage: 100 });
    expect(uncapped.get('long')!.rank).toBe(1);
  });

  it('weighs each list as fusion does', () => {
    const pages = rankPages([['a#1'], ['b#1']], page, { weights: [0.5, 1] });
    expect(pages.get('b')!.rank).toBe(1);
    expect(pages.get('a')!.score).toBeCloseTo(0.5 / 61, 10);
  });

  it('normalises by page length when told the length of each page in passages', () => {
    // The long page has more passages near the top, as any long page does; per passage it has less.
    const list = ['long#1', 'short#1', 'long#2', 'long#3', 'short#2'];
    const lengths: Record<string, number> = { long: 30, short: 3 };
    expect(rankPages([list], page).get('long')!.rank).toBe(1);
    const normalised = rankPages([list], page, { lengthOf: (id) => lengths[id], lengthExponent: 0.3 });
    expect(normalised.get('short')!.rank).toBe(1);
    expect(normalised.get('short')!.score).toBeCloseTo((1 / 62 + 1 / 65) / 3 ** 0.3, 10);
    // A page of unknown length counts as one passage long; exponent 0 leaves the sums as they are.
    expect(rankPages([list], page, { lengthOf: () => undefined, lengthExponent: 0.3 }).get('long')!.rank).toBe(1);
    expect(rankPages([list], page, { lengthOf: (id) => lengths[id], lengthExponent: 0 }).get('long')!.rank).toBe(1);
  });

  it('adds a page-level list after length normalisation, crediting only pages the passage lists found', () => {
    const list = ['lucky#1', 'spread#1', 'other#1'];
    const lengths: Record<string, number> = { lucky: 2, spread: 8, other: 4 };
    const options = { lengthOf: (id: string) => lengths[id], lengthExponent: 0.3 };
    expect(rankPages([list], page, options).get('lucky')!.rank).toBe(1);
    const withPages = rankPages([list], page, { ...options, pageList: { pages: ['unlisted', 'spread'], weight: 1 } });
    // `unlisted` holds the list's first place, so `spread` gets the credit of rank 2, undivided by its length.
    expect(withPages.get('spread')!.score).toBeCloseTo(1 / 62 / 8 ** 0.3 + 1 / 62, 10);
    expect(withPages.get('lucky')!.score).toBeCloseTo(1 / 61 / 2 ** 0.3, 10);
    expect(withPages.get('spread')!.rank).toBe(1);
    expect(withPages.has('unlisted')).toBe(false);
    // Weight 0 leaves the list out.
    expect(rankPages([list], page, { ...options, pageList: { pages: ['spread'], weight: 0 } })).toEqual(rankPages([list], page, options));
  });
});
