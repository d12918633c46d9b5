import { describe, expect, it } from 'vitest';
import { splitSentences } from './split-sentences.js';

describe('splitSentences', () => {
  it('splits at sentence ends, lines and list items, keeping verbatim spans', () => {
    const text = 'Read lethain.com, version 1.2 too. Then ask "why?" And stop!\n- A list item\nLast line';
    const sentences = splitSentences(text);
    expect(sentences).toEqual(['Read lethain.com, version 1.2 too.', 'Then ask "why?"', 'And stop!', 'A list item', 'Last line']);
    for (const sentence of sentences) expect(text).toContain(sentence);
  });

  it('does not end a sentence at an abbreviation or before a word in lower case', () => {
    const text =
      'Workgroups set guidelines (e.g.  a new framework).  Ask Dr. Hogan. Pick one, i.e. the cheapest. It ends etc. and goes on.';
    const sentences = splitSentences(text);
    expect(sentences).toEqual([
      'Workgroups set guidelines (e.g.  a new framework).',
      'Ask Dr. Hogan.',
      'Pick one, i.e. the cheapest.',
      'It ends etc. and goes on.',
    ]);
    for (const sentence of sentences) expect(text).toContain(sentence);
    // A bare question mark still ends one: a link's title, then where it is.
    expect(splitSentences('How does one become a staff engineer at Google? on Quora')).toEqual([
      'How does one become a staff engineer at Google?',
      'on Quora',
    ]);
  });
});
