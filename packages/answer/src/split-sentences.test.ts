import { describe, expect, it } from 'vitest';
import { splitSentences } from './split-sentences.js';

describe('splitSentences', () => {
  it('splits at sentence ends, lines and list items, keeping verbatim spans', () => {
    const text = 'Read lethain.com, version 1.2 too. Then ask "why?" And stop!\n- A list item\nLast line';
    const sentences = splitSentences(text);
    expect(sentences).toEqual(['Read lethain.com, version 1.2 too.', 'Then ask "why?"', 'And stop!', 'A list item', 'Last line']);
    for (const sentence of sentences) expect(text).toContain(sentence);
  });
});
