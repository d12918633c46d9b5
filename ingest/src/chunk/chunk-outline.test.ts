import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateTokens } from '@cairn/core';
import type { OutlineBlock } from '../outline.js';
import { chunkOutline, defaultChunkOptions } from './chunk-outline.js';

/** Without white space: chunk boundaries may fall inside a word cut by characters. */
const collapse = (text: string) => text.replace(/\s+/g, '');

/** The text of each section, in order, as the chunker must preserve it. */
function sectionTexts(blocks: OutlineBlock[]): string {
  return collapse(
    blocks
      .filter((block) => block.kind === 'text')
      .map((block) => block.text)
      .join(' '),
  );
}

const word = fc.stringMatching(/^[A-Za-z]{1,12}[.,!?]?$/);
const paragraph = fc.array(word, { minLength: 1, maxLength: 400 }).map((words) => words.join(' '));
const hostileText = fc.oneof(
  paragraph,
  fc.string({ maxLength: 3000 }),
  fc.constantFrom('x'.repeat(5000), '!'.repeat(2000), 'a. '.repeat(800), 'word\n\n\n'.repeat(300), '   '),
);
const block: fc.Arbitrary<OutlineBlock> = fc.oneof(
  { weight: 4, arbitrary: hostileText.map((text) => ({ kind: 'text' as const, text })) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('heading' as const),
      level: fc.integer({ min: 1, max: 4 }),
      text: word,
      anchor: fc.option(word, { nil: null }),
    }),
  },
);
const options = fc.record({ maxTokens: fc.integer({ min: 8, max: 400 }), overlapTokens: fc.integer({ min: 0, max: 100 }) });

describe('chunkOutline', () => {
  it('loses, adds and reorders no text (overlaps aside)', () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 20 }), options, (blocks, chunkOptions) => {
        const chunks = chunkOutline(blocks, chunkOptions);
        const rebuilt = collapse(chunks.map((chunk) => chunk.text.slice(chunk.overlap)).join(' '));
        expect(rebuilt === sectionTexts(blocks)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps every chunk within its token bound, non-empty, numbered in order', () => {
    fc.assert(
      fc.property(fc.array(block, { maxLength: 20 }), options, (blocks, chunkOptions) => {
        const chunks = chunkOutline(blocks, chunkOptions);
        chunks.forEach((chunk, index) => {
          expect(chunk.ordinal).toBe(index);
          expect(chunk.text.trim().length).toBeGreaterThan(0);
          expect(chunk.tokenCount).toBeLessThanOrEqual(chunkOptions.maxTokens);
          expect(estimateTokens(chunk.text)).toBeLessThanOrEqual(chunkOptions.maxTokens + 1);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('gives each chunk its heading path and the nearest anchor, never spanning two sections', () => {
    const blocks: OutlineBlock[] = [
      { kind: 'heading', level: 1, text: 'Staff archetypes', anchor: null },
      { kind: 'text', text: 'Intro.' },
      { kind: 'heading', level: 2, text: 'Tech Lead', anchor: 'tech-lead' },
      { kind: 'text', text: 'Guides a team.' },
      { kind: 'heading', level: 3, text: 'Pitfalls', anchor: null },
      { kind: 'text', text: 'Hoarding work.' },
      { kind: 'heading', level: 2, text: 'Solver', anchor: 'solver' },
      { kind: 'text', text: 'Digs into hard problems.' },
    ];
    expect(chunkOutline(blocks).map(({ headingPath, anchor, text }) => ({ headingPath, anchor, text }))).toEqual([
      { headingPath: ['Staff archetypes'], anchor: null, text: 'Intro.' },
      { headingPath: ['Staff archetypes', 'Tech Lead'], anchor: 'tech-lead', text: 'Guides a team.' },
      { headingPath: ['Staff archetypes', 'Tech Lead', 'Pitfalls'], anchor: 'tech-lead', text: 'Hoarding work.' },
      { headingPath: ['Staff archetypes', 'Solver'], anchor: 'solver', text: 'Digs into hard problems.' },
    ]);
  });

  it('keeps paragraphs whole when they fit, and overlaps neighbours within a section', () => {
    const paragraphs = Array.from({ length: 6 }, (_, index) => `Paragraph ${index} ${'word '.repeat(30).trim()}.`);
    const chunks = chunkOutline(
      paragraphs.map((text) => ({ kind: 'text' as const, text })),
      { maxTokens: 80, overlapTokens: 40 },
    );
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      for (const piece of chunk.text.split('\n\n')) expect(paragraphs).toContain(piece);
    }
    expect(chunks[1]!.overlap).toBeGreaterThan(0);
    expect(chunks[0]!.text.endsWith(chunks[1]!.text.slice(0, chunks[1]!.overlap).trim())).toBe(true);
  });

  // Speed is measured by the benchmark (npm run bench: chunking MB/s on prose and on these
  // shapes); here, that a megabyte of each pathological shape is chunked, within bounds.
  const megabyte = (unit: string) => unit.repeat(Math.ceil(1_000_000 / unit.length));
  it.each([
    ['prose', megabyte('The staff engineer sets direction. ')],
    ['one word', megabyte('a')],
    ['punctuation', megabyte('.!?')],
    ['words without a full stop', megabyte('lorem ipsum dolor ')],
    ['tiny sentences', megabyte('A. ')],
    ['whitespace runs', megabyte('x \t \n  \u00a0 ')],
  ])('chunks a megabyte of %s into bounded chunks', (_shape, text) => {
    const chunks = chunkOutline([{ kind: 'text', text }]);
    expect(chunks.length).toBeGreaterThan(0);
    for (const chunk of chunks) {
      expect(chunk.text.trim().length).toBeGreaterThan(0);
      expect(chunk.tokenCount).toBeLessThanOrEqual(defaultChunkOptions.maxTokens);
    }
  });

  it('chunks a megabyte of tiny paragraphs into bounded chunks', () => {
    const blocks: OutlineBlock[] = 'x\n\n'
      .repeat(333_334)
      .split('\n\n')
      .map((part) => ({ kind: 'text', text: part }));
    expect(chunkOutline(blocks).length).toBeGreaterThan(0);
  });
});
