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

  it('reads idioms whose words mislead for what they mean, on both sides alike', () => {
    // "loop" here is no interview loop or feedback loop.
    expect(analyzeText('How do I keep my director in the loop?')).toEqual(analyzeText('How do I keep my director informed?'));
    expect(analyzeText('keep my director in the loop')).not.toContain(stem('loop'));
    expect(analyzeText('Feedback loops and interview loops')).toContain(stem('loop'));
    expect(analyzeText('She felt out of the loop.')).toEqual(analyzeText('She felt uninformed.'));
    expect(analyzeText('the low-hanging fruit')).toEqual(analyzeText('the easy wins'));
    expect(analyzeText('Low hanging fruit')).toEqual(analyzeText('easy wins'));
    expect(analyzeText('get the PM and me on the same page')).toEqual(analyzeText('get the PM and me aligned'));
    expect(analyzeText('without boiling the ocean')).toEqual(analyzeText('without overly broad scope'));
    expect(analyzeText('It was thrown under the bus')).toEqual(analyzeText('It was blame'));
    expect(analyzeText('took it off my plate')).toEqual(analyzeText('took it my workload'));
    // A text without them is left as it was.
    expect(analyzeText('Our bus factor is one, and the ocean of pages')).toEqual(['bu', 'factor', 'on', 'ocean', 'page']);
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
