import { describe, expect, it } from 'vitest';
import { characterCount, maxQueryChars, refuseInvalidText, validSearchQuery } from './text-limits.js';

describe('text limits', () => {
  it('counts characters as code points: an emoji is one', () => {
    expect(characterCount('😀'.repeat(3))).toBe(3);
    expect('😀'.repeat(3).length).toBe(6);
    expect(characterCount('')).toBe(0);
  });

  it('checks a search query: trimmed, not empty, at most the limit in characters', () => {
    expect(validSearchQuery('  feedback  ')).toBe('feedback');
    expect(() => validSearchQuery(' \n ')).toThrow(expect.objectContaining({ code: 'query_empty' }));
    // Invisible characters alone are no words: a zero-width space, a word joiner, a BOM.
    for (const invisible of ['\u200b\u200b', '\u2060', ' \ufeff\u200d '])
      expect(() => validSearchQuery(invisible)).toThrow(expect.objectContaining({ code: 'query_empty' }));
    expect(validSearchQuery('\u200bfeedback')).toBe('\u200bfeedback');
    expect(() => validSearchQuery('y'.repeat(maxQueryChars + 1))).toThrow(expect.objectContaining({ code: 'query_too_long' }));
    expect(validSearchQuery('😀'.repeat(maxQueryChars))).toHaveLength(2 * maxQueryChars);
  });

  it('refuses a NUL, a lone surrogate or a bidirectional control anywhere in a value, naming where', () => {
    expect(() => refuseInvalidText({ query: 'ok', source: ['fine', 'b\u202ead'] }, 'arguments')).toThrow(
      expect.objectContaining({
        code: 'invalid_text',
        message: expect.stringContaining('arguments.source.1 holds a bidirectional control (U+202E)'),
      }),
    );
    expect(() => refuseInvalidText({ question: 'right-to-left \u05e9\u05dc\u05d5\u05dd \u200f is fine' }, 'arguments')).not.toThrow();
  });
});
