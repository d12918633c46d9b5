import { describe, expect, it } from 'vitest';
import { inverseDocumentFrequency, toTermStatistics } from './term-statistics.js';

const statistics = toTermStatistics({
  fingerprint: '1/0/…',
  chunks: 100,
  postings: 1000,
  commonTerms: ['team', 'feedback'],
  commonFrequencies: [0.05, 0.02],
  distinct: -0.5,
});

describe('inverseDocumentFrequency', () => {
  it('reads a common term from its share of the postings', () => {
    // 5% of 1000 postings: in 50 of 100 chunks.
    expect(inverseDocumentFrequency(statistics, 'team')).toBeCloseTo(Math.log(1 + 50.5 / 50.5), 10);
    expect(inverseDocumentFrequency(statistics, 'feedback')).toBeGreaterThan(inverseDocumentFrequency(statistics, 'team'));
  });

  it('spreads the other postings evenly over the other distinct terms', () => {
    // n_distinct −0.5: 500 distinct terms; 93% of the postings over the 498 uncommon ones.
    const frequency = (0.93 * 1000) / 498;
    expect(statistics.distinctTerms).toBe(500);
    expect(inverseDocumentFrequency(statistics, 'zeppelin')).toBeCloseTo(Math.log(1 + (100 - frequency + 0.5) / (frequency + 0.5)), 10);
  });

  it('takes every term as rare before the postings have statistics', () => {
    const none = toTermStatistics({ fingerprint: '', chunks: 0, postings: 0, commonTerms: null, commonFrequencies: null, distinct: null });
    expect(inverseDocumentFrequency(none, 'anything')).toBeCloseTo(Math.log(1 + 0.5 / 1.5), 10);
  });
});
