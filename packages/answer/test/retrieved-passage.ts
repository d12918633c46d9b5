import type { RetrievedPassage } from '@cairn/core';

/** A retrieved passage for the answer suites: a note by Lara Hogan, ranked `index + 1`, with `overrides`. */
export function retrievedPassage(index: number, overrides: Partial<RetrievedPassage>): RetrievedPassage {
  return {
    chunkId: `chunk-${index}`,
    documentId: `doc-${index}`,
    url: `https://example.test/${index}`,
    title: `Title ${index}`,
    author: 'Lara Hogan',
    source: 'starter-notes',
    kind: 'note',
    heading: `Title ${index} › Section`,
    headingPath: [`Title ${index}`, 'Section'],
    anchor: null,
    text: '',
    publishedAt: null,
    frameworks: [],
    score: 1 / (index + 1),
    ranks: { vector: index + 1, keyword: null },
    ...overrides,
  };
}
