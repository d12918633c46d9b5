import { describe, expect, it } from 'vitest';
import { boundedOutline, outlineLimits, type DocumentOutline } from './outline.js';

const outline = (title: string, heading: string, author: string | null = 'Ada'): DocumentOutline => ({
  title,
  author,
  publishedAt: null,
  url: 'https://example.com/a',
  kind: 'article',
  topics: [],
  frameworks: [],
  blocks: [
    { kind: 'heading', level: 2, text: heading, anchor: 'h'.repeat(5000) },
    { kind: 'text', text: 'x'.repeat(10_000) },
  ],
});

describe('boundedOutline', () => {
  it("cuts a title, author and headings of a page's length to a name's, at a code point, and keeps the body whole", () => {
    const bounded = boundedOutline(outline('😀'.repeat(200_000), 'H'.repeat(50_000), 'A'.repeat(1000)));
    expect(Array.from(bounded.title)).toHaveLength(outlineLimits.title);
    expect(bounded.title.endsWith('😀…')).toBe(true);
    expect(bounded.author).toHaveLength(outlineLimits.author);
    const [heading, text] = bounded.blocks;
    expect(heading).toMatchObject({ kind: 'heading', anchor: null });
    expect(heading?.kind === 'heading' && heading.text.length).toBe(outlineLimits.heading);
    expect(text).toEqual({ kind: 'text', text: 'x'.repeat(10_000) });
  });

  it('returns an ordinary outline as it is, so its stored hash does not change', () => {
    const ordinary = { ...outline('How I became a staff engineer', 'Sponsorship'), blocks: [{ kind: 'text' as const, text: 'body' }] };
    expect(boundedOutline(ordinary)).toBe(ordinary);
  });
});
