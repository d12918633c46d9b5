import { describe, expect, it } from 'vitest';
import type { Citation } from './api/types.js';
import { citationFootnote, shareableMarkdown } from './share-markdown.js';

const article: Citation = {
  n: 1,
  url: 'https://larahogan.me/blog/feedback-equation/#using-it',
  title: 'The feedback equation [draft]',
  author: 'Lara Hogan',
  source: 'larahogan',
  heading: 'The feedback equation › Using it',
  quote: 'Share an observation,\n its impact, and a question.',
  chunkId: 'c1',
  kind: 'article',
  publishedAt: null,
};
const note: Citation = {
  ...article,
  n: 2,
  chunkId: 'c2',
  kind: 'note',
  author: null,
  heading: 'Archetypes',
  title: 'Archetypes',
  url: 'https://staffeng.com/guides/staff-archetypes/',
};

describe('shareableMarkdown', () => {
  it('turns cited [n] into footnote references and lists the footnotes with their sources and quotes', () => {
    const markdown = shareableMarkdown({
      question: 'How do I give\nfeedback?',
      answer: 'Name the impact [1]. Pick an archetype [2]. Not a citation: [7] and a [link](https://x.example/).',
      citations: [note, article],
      permalink: 'http://127.0.0.1:3000/admin/answers/m1',
    });
    expect(markdown).toBe(
      [
        '> **Question:** How do I give feedback?',
        '',
        'Name the impact [^1]. Pick an archetype [^2]. Not a citation: [7] and a [link](https://x.example/).',
        '',
        '[^1]: [The feedback equation \\[draft\\]](https://larahogan.me/blog/feedback-equation/#using-it), Lara Hogan, larahogan › Using it: “Share an observation, its impact, and a question.”',
        '[^2]: [Archetypes](https://staffeng.com/guides/staff-archetypes/), larahogan (a note in our words; the link is the original it summarises): “Share an observation, its impact, and a question.”',
        '',
        'From Cairn: http://127.0.0.1:3000/admin/answers/m1',
        '',
      ].join('\n'),
    );
  });

  it('leaves out what is missing: no question, no citations, no permalink', () => {
    expect(shareableMarkdown({ answer: 'The sources do not cover this.', citations: [] })).toBe('The sources do not cover this.\n');
  });

  it('keeps a URL with spaces or parentheses a working link', () => {
    expect(citationFootnote({ ...article, url: 'https://example.com/a (b)/' })).toContain('(<https://example.com/a%20(b)/>)');
  });
});
