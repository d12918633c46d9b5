import { describe, expect, it } from 'vitest';
import type { RetrievedPassage } from '@cairn/core';
import { FeatureReranker, rerankFeatures, type RerankWeights } from './feature-reranker.js';

function passage(id: string, text: string, heading = 'Notes', fused = 1): RetrievedPassage {
  return {
    chunkId: id,
    documentId: id,
    url: `https://example.com/${id}`,
    title: heading,
    author: null,
    source: 'test',
    kind: 'article',
    heading,
    headingPath: [heading],
    anchor: null,
    text,
    publishedAt: null,
    frameworks: [],
    score: 0,
    ranks: { vector: fused, keyword: null, page: fused, fused, reranked: null },
  };
}

const only = (feature: keyof RerankWeights, weight = 1): RerankWeights =>
  Object.fromEntries(rerankFeatures.map((name) => [name, name === feature ? weight : 0])) as RerankWeights;

describe('FeatureReranker', () => {
  const question = 'how to write a promotion packet';
  const scattered = passage(
    'scattered',
    'Promotion is earned over years of steady contribution to many teams and projects; a packet helps.',
    'Notes',
    1,
  );
  const phrase = passage('phrase', 'Write a promotion packet that shows your impact.', 'Notes', 2);

  it('keeps the fused order when only the fused rank counts', async () => {
    const reranked = await new FeatureReranker(undefined, only('fused')).rerank(question, [scattered, phrase]);
    expect(reranked.map((item) => item.chunkId)).toEqual(['scattered', 'phrase']);
  });

  it("with the shipped weights, lets one list's first hit outrank agreement on a middling one, which fusion ranks first", async () => {
    const ranked = (id: string, ranks: Partial<RetrievedPassage['ranks']>): RetrievedPassage => ({
      ...passage(id, 'text'),
      ranks: { vector: null, keyword: null, page: null, fused: null, reranked: null, ...ranks },
    });
    // Reciprocal-rank fusion (1 / (60 + rank)) puts fourth-in-both above first-and-tenth: 2/64 > 1/61 + 1/70.
    const agreed = ranked('agreed', { vector: 4, keyword: 4, page: 2, fused: 1 });
    const confident = ranked('confident', { vector: 1, keyword: 10, page: 2, fused: 2 });
    const reranked = await new FeatureReranker().rerank(question, [agreed, confident]);
    expect(reranked.map((item) => item.chunkId)).toEqual(['confident', 'agreed']);
    // A passage no list ranks well stays below, whatever its fused rank.
    const weak = ranked('weak', { vector: 30, keyword: 30, page: 20, fused: 1 });
    expect((await new FeatureReranker().rerank(question, [weak, agreed])).map((item) => item.chunkId)).toEqual(['agreed', 'weak']);
  });

  it('reads no passage text when its weights use ranks only, and orders as the full features would', async () => {
    const unread = (item: RetrievedPassage, fused: number): RetrievedPassage => {
      const copy = { ...item, ranks: { ...item.ranks, fused, page: 3 - fused } };
      Object.defineProperty(copy, 'text', { get: () => expect.fail('the text was read') });
      return copy;
    };
    const weights = { ...only('fused'), page: 0.5 };
    const reranked = await new FeatureReranker(undefined, weights).rerank(question, [unread(scattered, 2), unread(phrase, 1)]);
    expect(reranked.map((item) => item.chunkId)).toEqual(['phrase', 'scattered']);
    const full = await new FeatureReranker(undefined, { ...weights, phrase: 1e-9 }).rerank(question, [
      { ...scattered, ranks: { ...scattered.ranks, fused: 2, page: 1 } },
      { ...phrase, ranks: { ...phrase.ranks, fused: 1, page: 2 } },
    ]);
    expect(full.map((item) => item.chunkId)).toEqual(['phrase', 'scattered']);
  });

  it('moves up a passage with the question terms side by side (phrase and proximity)', async () => {
    for (const feature of ['phrase', 'proximity'] as const) {
      const reranked = await new FeatureReranker(undefined, only(feature)).rerank(question, [scattered, phrase]);
      expect(reranked[0]!.chunkId).toBe('phrase');
    }
  });

  it('counts rare question terms in headings above common ones in the body', () => {
    const titled = passage('titled', 'Some advice.', 'Promotion packets');
    const body = passage('body', 'Write write write how how.', 'Notes');
    const [titledFeatures, bodyFeatures] = new FeatureReranker().features(question, [titled, body]);
    expect(titledFeatures!.headingCoverage).toBeGreaterThan(0);
    expect(bodyFeatures!.headingCoverage).toBe(0);
  });

  it('uses the meaning similarity it is given, and nothing without one', async () => {
    const similarity = (_question: string, texts: readonly string[]) => texts.map((text) => (text.includes('impact') ? 0.9 : 0.1));
    const reranked = await new FeatureReranker(similarity, only('meaning')).rerank(question, [scattered, phrase]);
    expect(reranked[0]!.chunkId).toBe('phrase');
    const [features] = new FeatureReranker().features(question, [phrase]);
    expect(features!.meaning).toBe(0);
  });
});
