import { describe, expect, it } from 'vitest';
import { lexicalFeatures } from './lexical-features.js';

describe('lexicalFeatures', () => {
  it('weighs each term, and shares gramWeight of the weight of a long term among its trigrams', () => {
    const features = lexicalFeatures(
      new Map([
        ['team', 2],
        ['okr', 1],
      ]),
      0.3,
    );
    // "^team$" has four trigrams, each 2 × 0.3 / 4; a term under four letters has none.
    expect([...features]).toEqual([
      ['w:team', 2],
      ['c:^te', 0.15],
      ['c:tea', 0.15],
      ['c:eam', 0.15],
      ['c:am$', 0.15],
      ['w:okr', 1],
    ]);
  });

  it('adds up a trigram that recurs, and leaves trigrams out at a weight of zero', () => {
    const features = lexicalFeatures(new Map([['aaaaa', 1]]), 0.5);
    expect(features.get('c:aaa')).toBeCloseTo((3 * 0.5) / 5, 12);
    expect([...lexicalFeatures(new Map([['attrition', 1]]), 0).keys()]).toEqual(['w:attrition']);
  });
});
