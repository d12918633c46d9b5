import { describe, expect, it } from 'vitest';
import { stemmer } from 'stemmer';
import { analyzeText, stem } from './analyze-text.js';

describe('analyzeText', () => {
  it('drops stop words and stems the rest', () => {
    expect(analyzeText('How should I be managing my engineers?')).toEqual(['manag', 'engin']);
  });

  it('folds domain spellings together', () => {
    expect(analyzeText('1:1s')).toEqual(analyzeText('one-on-ones'));
    expect(analyzeText('my EM')).toEqual(['engin', 'manag']);
    expect(analyzeText('Café’s')).toEqual(analyzeText('cafes'));
    expect(analyzeText('organisation behaviour')).toEqual(analyzeText('organization behavior'));
    expect(analyzeText('our org')).toEqual(analyzeText('organization'));
  });
});

describe('stem', () => {
  it('gives the Porter stem, remembered or not, past the most it remembers too', () => {
    const words = Array.from({ length: 120_000 }, (_, index) => `managing${index.toString(36)}ers`);
    for (const word of ['managing', 'engineers', 'organizations', 'happily', 'running', ...words.slice(0, 50)]) {
      expect(stem(word)).toBe(stemmer(word));
      expect(stem(word)).toBe(stemmer(word));
    }
    // Past 100,000 words it starts afresh, and still answers right.
    for (const word of words) stem(word);
    expect(words.slice(-20).map(stem)).toEqual(words.slice(-20).map((word) => stemmer(word)));
    expect(stem('managing')).toBe('manag');
  });
});
