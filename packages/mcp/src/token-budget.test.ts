import { describe, expect, it } from 'vitest';
import { estimateTokens } from '@cairn/core';
import { budgetFor, cutText, fitWithin, minimumTokens, tokensOf, truncationLine, withinBudget } from './token-budget.js';

describe('the token budget', () => {
  it('takes the call’s maxTokens, held between the minimum and the server’s cap', () => {
    expect(budgetFor(undefined, 8000)).toBe(8000);
    expect(budgetFor(1000, 8000)).toBe(1000);
    expect(budgetFor(50_000, 8000)).toBe(8000);
    expect(budgetFor(10, 8000)).toBe(minimumTokens);
  });

  it('cuts text to the budget at a word boundary, and says so', () => {
    const text = 'word '.repeat(500).trim();
    const { text: cut, cut: wasCut } = cutText(text, 100);
    expect(wasCut).toBe(true);
    expect(estimateTokens(cut)).toBeLessThanOrEqual(100);
    expect(estimateTokens(cut)).toBeGreaterThan(90);
    expect(cut.endsWith('word')).toBe(true);
    expect(cutText('short text', 100)).toEqual({ text: 'short text', cut: false });
    expect(cutText('something', 0)).toEqual({ text: '', cut: true });
    // One long word with no boundary is cut inside it rather than emptied.
    expect(cutText('x'.repeat(6000), 10).text.length).toBeGreaterThan(0);
  });

  it('keeps the leading items that fit, in order, and counts the rest', () => {
    const items = [5, 5, 5, 5];
    expect(fitWithin(items, 12, (item) => item)).toEqual({ kept: [5, 5], omitted: 2 });
    expect(fitWithin(items, 100, (item) => item)).toEqual({ kept: items, omitted: 0 });
    // A prefix: a small item after one that does not fit is not taken out of order.
    expect(fitWithin([5, 20, 1], 10, (item) => item)).toEqual({ kept: [5], omitted: 2 });
  });

  it('counts the larger of the text and the JSON of a value', () => {
    expect(tokensOf('a b c', { a: 1, b: 2, c: 3 })).toBe(estimateTokens(JSON.stringify({ a: 1, b: 2, c: 3 })));
    expect(tokensOf('a long text of many words indeed', 'x')).toBe(estimateTokens('a long text of many words indeed'));
  });

  it('builds a result again with less room until the whole of it, text and JSON, is within the budget', () => {
    const words = Array.from({ length: 400 }, (_, index) => `word${index}`);
    const rooms: number[] = [];
    const result = withinBudget(300, (room) => {
      rooms.push(room);
      const { kept } = fitWithin(words, room, (word) => tokensOf(word, word));
      // A wrapper the items' room does not count: the build is measured whole.
      return { text: `A header line that takes some tokens of its own.\n${kept.join(' ')}`, structured: { header: 'x'.repeat(300), kept } };
    });
    expect(tokensOf(result.text, result.structured)).toBeLessThanOrEqual(300);
    expect(rooms.length).toBeGreaterThan(1);
    expect(rooms).toEqual([...rooms].sort((a, b) => b - a));
  });

  it('closes a truncated text with what was cut and how to get it', () => {
    expect(truncationLine(null)).toBe('');
    expect(truncationLine({ maxTokens: 500, omitted: 3, what: '3 of 5 passages were left out', hint: 'Ask for fewer.' })).toBe(
      '\n\n[Truncated to stay within 500 tokens: 3 of 5 passages were left out. Ask for fewer.]',
    );
  });
});
