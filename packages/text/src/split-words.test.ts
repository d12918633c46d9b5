import { describe, expect, it } from 'vitest';
import { readerWords, streamPieces } from './split-words.js';

describe('readerWords', () => {
  it('folds fullwidth letters, drops invisible characters and punctuation, lower-cases', () => {
    expect(readerWords('Ｆｏｏ\u00adBar, baz! 42')).toEqual(['foobar', 'baz', '42']);
  });
  it('returns nothing for text without letters or digits', () => {
    expect(readerWords(' ,.; ')).toEqual([]);
  });
});

describe('streamPieces', () => {
  it('keeps each word with its trailing spaces, so the pieces join back to the text', () => {
    const text = '  Lead with  context.\nThen ask. ';
    expect(streamPieces(text)).toEqual(['  ', 'Lead ', 'with  ', 'context.\n', 'Then ', 'ask. ']);
    expect(streamPieces(text).join('')).toBe(text);
  });
});
