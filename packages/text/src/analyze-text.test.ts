import { describe, expect, it } from 'vitest';
import { analyzeText } from './analyze-text.js';

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
