import { describe, expect, it } from 'vitest';
import type { StoredPage } from '@cairn/store';
import { fitSections } from './get-document-tool.js';

function page(sections: number, words = 200): StoredPage {
  return {
    id: 'page',
    url: 'https://example.com/post/',
    kind: 'article',
    title: 'A post',
    author: 'An Author',
    source: 'example',
    publishedAt: null,
    fetchedAt: null,
    topics: [],
    frameworks: [],
    status: 'active',
    passages: Array.from({ length: sections }, (_, index) => ({
      chunkId: `chunk-${index}`,
      ordinal: index,
      heading: `A post › Section ${index}`,
      headingPath: ['A post', `Section ${index}`],
      anchor: `section-${index}`,
      text: `Section ${index} says ${'something '.repeat(words)}`.trim(),
      tokenCount: words + 3,
    })),
  };
}

describe('fitSections', () => {
  it('gives a short page whole, each section with the url#anchor to cite', () => {
    const { sections, truncation } = fitSections(page(3, 20), 0, 8000);
    expect(truncation).toBeNull();
    expect(sections.map((section) => section.url)).toEqual([0, 1, 2].map((index) => `https://example.com/post/#section-${index}`));
    expect(sections.every((section) => section.text !== null && !section.textCut)).toBe(true);
  });

  it('reads a long page around the focus, lists what it left out, and says so', () => {
    const { sections, truncation } = fitSections(page(30), 15, 1500);
    const withText = sections.filter((section) => section.text !== null).map((section) => section.chunkId);
    expect(withText).toContain('chunk-15');
    // Nearest first: the texts kept are a run around the focus, in reading order.
    const indexes = withText.map((id) => Number(id.split('-')[1]));
    expect(Math.max(...indexes) - Math.min(...indexes)).toBe(indexes.length - 1);
    expect(sections.map((section) => section.chunkId)).toEqual(
      [...sections.map((section) => section.chunkId)].sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1])),
    );
    expect(truncation).toMatchObject({ maxTokens: 1500, what: expect.stringMatching(/sections were left out|not listed/) });
    expect(truncation!.omitted).toBeGreaterThan(0);
  });

  it('cuts the focus section rather than leave it out when it alone is over the budget', () => {
    const { sections, truncation } = fitSections(page(1, 3000), 0, 400);
    expect(sections[0]).toMatchObject({ chunkId: 'chunk-0', textCut: true });
    expect(sections[0]!.text!.length).toBeGreaterThan(0);
    expect(truncation!.what).toMatch(/was cut/);
  });
});
