import { describe, expect, it } from 'vitest';
import { findInvalidCharacter } from './text-check.js';

describe('findInvalidCharacter', () => {
  it('finds NUL, lone surrogates and bidirectional embeddings, overrides and isolates, with where they are', () => {
    expect(findInvalidCharacter('a\u0000b')).toEqual({ codePoint: 'U+0000', kind: 'a NUL', index: 1 });
    expect(findInvalidCharacter('ab\uD800')).toEqual({ codePoint: 'U+D800', kind: 'a lone surrogate', index: 2 });
    expect(findInvalidCharacter('\uDC00x')).toEqual({ codePoint: 'U+DC00', kind: 'a lone surrogate', index: 0 });
    expect(findInvalidCharacter('\uD83D\uD83D\uDE00')).toMatchObject({ codePoint: 'U+D83D', index: 0 });
    for (const character of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'])
      expect(findInvalidCharacter(`x${character}`)).toMatchObject({ kind: 'a bidirectional control', index: 1 });
  });

  it('passes other text: pairs, right-to-left script and its marks, emoji, other controls', () => {
    for (const text of ['', 'plain', '𝓈𝓉𝒶𝒻𝒻 🧗‍♀️ ﷽', 'שלום \u200F עולם \u200E', 'كيف حالك؟', 'tab\tnew\nline', '\u2065\u206A\u202F'])
      expect(findInvalidCharacter(text), JSON.stringify(text)).toBeUndefined();
  });
});
