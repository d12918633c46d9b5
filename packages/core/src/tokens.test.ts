import { describe, expect, it } from 'vitest';
import { estimateTokens } from './tokens.js';

describe('estimateTokens', () => {
  it('counts short words and punctuation as one token each', () => {
    expect(estimateTokens('The team is small.')).toBe(5);
    expect(estimateTokens('')).toBe(0);
  });

  it('counts long words by their length', () => {
    expect(estimateTokens('infrastructure')).toBe(3);
  });
});
