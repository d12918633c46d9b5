import { describe, expect, it } from 'vitest';
import type { ConversationAnswer } from '@cairn/answer';
import { estimateTokens } from '@cairn/core';
import { fitAnswer } from './ask-cairn-tool.js';

const citation = (n: number) => ({
  n,
  url: `https://example.com/${n}/`,
  title: `Title ${n}`,
  author: 'An Author',
  source: 'example',
  heading: `Title ${n} › Section`,
  quote: `A quoted span of passage ${n} that is ${'rather '.repeat(40)}long.`,
  chunkId: `chunk-${n}`,
  kind: 'article' as const,
  publishedAt: null,
});

const answer = (text: string): ConversationAnswer => ({
  answer: text,
  citations: [citation(1), citation(2), citation(3)],
  conversationId: 'conversation',
  messageId: 'message',
  mode: 'extractive',
  model: 'cairn-extractive-v1',
  outcome: 'answered',
  refusal: null,
  clarifyingQuestions: ['What did you try?'],
  frameworks: [],
  standaloneQuestion: 'q',
  retrieval: [],
  timings: { condenseMs: 0, retrieveMs: 0, composeMs: 0, modelMs: 0, totalMs: 0 },
});

describe('fitAnswer', () => {
  it('keeps everything within the budget', () => {
    const fitted = fitAnswer(answer('A short answer [1].'), 8000);
    expect(fitted.truncation).toBeNull();
    expect(fitted.citations.every((item) => item.quote !== null)).toBe(true);
  });

  it('drops the quotes first, keeping every citation’s URL, then cuts the answer, saying which', () => {
    const quotesOut = fitAnswer(answer('A short answer [1][2][3].'), 450);
    expect(quotesOut.answer).toBe('A short answer [1][2][3].');
    expect(quotesOut.citations.map((item) => [item.n, item.url, item.quote])).toEqual([
      [1, 'https://example.com/1/', null],
      [2, 'https://example.com/2/', null],
      [3, 'https://example.com/3/', null],
    ]);
    expect(quotesOut.truncation).toMatchObject({ omitted: 3, what: expect.stringMatching(/quotes of 3 citations/) });

    const cut = fitAnswer(answer(`A long answer ${'word '.repeat(2000)}[1].`), 600);
    expect(cut.answer.endsWith('[…]')).toBe(true);
    expect(cut.answer.length).toBeLessThan(3000);
    expect(cut.citations).toHaveLength(3);
    expect(cut.truncation!.what).toMatch(/the answer was cut short/);
  });

  it('stays within a budget too small for the citations, keeping the first ones whole', () => {
    const tiny = fitAnswer(answer(`A long answer ${'word '.repeat(2000)}[1].`), 120);
    expect(tiny.answer).toBe('[…]');
    expect(tiny.citations.length).toBeLessThan(3);
    expect(estimateTokens(JSON.stringify({ answer: tiny.answer, citations: tiny.citations }))).toBeLessThanOrEqual(120);
    expect(tiny.truncation!.what).toMatch(/the answer and \d of 3 citations were left out/);
  });
});
