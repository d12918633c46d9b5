import { describe, expect, it } from 'vitest';
import { meaningRedundancy, meaningScores, type MeaningSimilarity } from './meaning-relevance.js';

/** A stand-in for the embedder's closeness: the share of the question's words a text has. */
const shareOfWords: MeaningSimilarity = (question, texts) => {
  const asked = new Set(question.toLowerCase().match(/[a-z]+/g));
  return texts.map((text) => {
    const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
    return words.filter((word) => asked.has(word)).length / Math.max(asked.size, 1);
  });
};

describe('meaningScores', () => {
  it('scales the closest to 1 when it is close, and less when nothing is', () => {
    expect(meaningScores(shareOfWords, 'a b', undefined, ['a b', 'a', 'c'])).toEqual([1, 0.5, 0]);
    // The closest shares a fifth of the question: no text is really about it, so none scores 1.
    const far = meaningScores(shareOfWords, 'a b c d e', undefined, ['a', 'f'])!;
    expect(far[0]).toBeLessThan(1);
    expect(far[1]).toBe(0);
  });

  it('is undefined without a similarity, without texts, or when nothing is close at all', () => {
    expect(meaningScores(undefined, 'a', undefined, ['a'])).toBeUndefined();
    expect(meaningScores(shareOfWords, 'a', undefined, [])).toBeUndefined();
    expect(meaningScores(shareOfWords, 'a', undefined, ['b'])).toBeUndefined();
  });

  it('reads a follow-up with the conversation it continues, at a third of the weight', () => {
    const [own, earlier] = meaningScores(shareOfWords, 'a', 'b', ['a', 'b'])!;
    expect(own).toBeGreaterThan(earlier!);
    expect(earlier).toBeGreaterThan(0);
  });
});

describe('meaningRedundancy', () => {
  it('counts only what says nearly the same as a pick', () => {
    expect(meaningRedundancy(shareOfWords, ['a b c d'], ['a b c d', 'a b c', 'a'])).toEqual([1, 0, 0]);
    expect(meaningRedundancy(undefined, ['a'], ['a'])).toEqual([0]);
  });
});
