import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '@cairn/core';
import { LocalHashEmbedder } from '@cairn/embed';
import { Store } from '@cairn/store';
import { testRuntimes } from '@cairn/testing';
import { keywordWeights } from '@cairn/text';
import { Retriever, type Reranker } from '../src/index.js';

const embedder = new LocalHashEmbedder();

async function addDocument(store: Store, sourceId: string, locator: string, author: string, sections: [string, string][]) {
  const chunks = sections.map(([heading, text], ordinal) => ({
    ordinal,
    headingPath: [locator, heading],
    heading: `${locator} › ${heading}`,
    anchor: heading.toLowerCase().replace(/\s+/g, '-'),
    text,
    tokenCount: text.split(' ').length,
    contentHash: contentHash(`${heading}\n${text}`),
    keywords: keywordWeights(`${locator} › ${heading}`, text),
  }));
  const vectors = new Map(
    await Promise.all(
      chunks.map(async (chunk) => [chunk.contentHash, await embedder.embedQuery(`${chunk.heading}\n\n${chunk.text}`)] as const),
    ),
  );
  await store.documents.replace(
    {
      sourceId,
      locator,
      url: `https://example.test/${locator}/`,
      kind: 'article',
      title: locator,
      author,
      publishedAt: null,
      topics: [],
      frameworks: [],
      etag: null,
      lastModified: null,
      contentHash: contentHash(locator),
    },
    chunks,
    { model: embedder.model, vectors },
  );
  await store.documents.refreshStatistics();
}

describe.each(testRuntimes)('Retriever on $name', (runtime) => {
  let store: Store;
  let drop: () => Promise<void>;
  let retriever: Retriever;

  beforeAll(async () => {
    const created = await runtime.create();
    drop = created.drop;
    store = await Store.open({ databaseUrl: created.databaseUrl });
    await store.embeddings.registerModel(embedder.model, embedder.dimensions, embedder.vectorType);
    const blog = await store.sources.upsert({ name: 'blog', kind: 'web', baseUrl: 'https://example.test/' });
    const notes = await store.sources.upsert({ name: 'notes', kind: 'directory', baseUrl: 'file:///notes' });
    await addDocument(store, blog.id, 'feedback', 'Lara Hogan', [
      ['Observation', 'Feedback starts with an observation of behaviour, free of judgement.'],
      ['Impact', 'Then name the impact that behaviour had on the team or the work.'],
      ['Question', 'End feedback with a question or a request, to open a conversation.'],
      ['Practice', 'Practise feedback on small things so that feedback on big things is routine.'],
    ]);
    await addDocument(store, blog.id, 'sizing', 'Will Larson', [
      ['Managers', 'Teams of six to eight engineers per manager keep feedback loops healthy.'],
    ]);
    await addDocument(store, notes.id, 'sponsorship', 'Lara Hogan', [
      ['Sponsors', 'Sponsors advocate for people in rooms they are not in, unlike mentors who give feedback.'],
    ]);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await drop?.();
  });

  it('fuses dense and keyword lists and reports both ranks', async () => {
    retriever = new Retriever(store, embedder);
    const { results, timings } = await retriever.retrieve('how do I give feedback with an observation', { k: 3 });
    expect(results[0]).toMatchObject({
      title: 'feedback',
      heading: 'feedback › Observation',
      url: 'https://example.test/feedback/#observation',
      kind: 'article',
    });
    expect(results[0]!.ranks.vector).toBe(1);
    expect(results[0]!.ranks.keyword).toBe(1);
    for (const result of results) expect(result.ranks.vector !== null || result.ranks.keyword !== null).toBe(true);
    expect(timings.totalMs).toBeGreaterThan(0);
  });

  it('does not let one document fill every slot', async () => {
    const { results } = await new Retriever(store, embedder).retrieve('feedback', { k: 3 });
    const fromFeedback = results.filter((result) => result.title === 'feedback');
    expect(fromFeedback).toHaveLength(2);
    expect(results).toHaveLength(3);
  });

  it('filters by source name and by author', async () => {
    const retriever = new Retriever(store, embedder);
    const notesOnly = await retriever.retrieve('feedback', { k: 5, filters: { sources: ['notes'] } });
    expect(notesOnly.results.map((result) => result.source)).toEqual(['notes']);
    const larsonOnly = await retriever.retrieve('feedback', { k: 5, filters: { authors: ['Will Larson'] } });
    expect(larsonOnly.results.map((result) => result.title)).toEqual(['sizing']);
  });

  it('runs one list alone in dense or keyword mode', async () => {
    const retriever = new Retriever(store, embedder);
    const keyword = await retriever.retrieve('sponsors rooms', { k: 5, mode: 'keyword' });
    expect(keyword.results.every((result) => result.ranks.vector === null)).toBe(true);
    const dense = await retriever.retrieve('sponsors rooms', { k: 5, mode: 'dense' });
    expect(dense.results.every((result) => result.ranks.keyword === null)).toBe(true);
    expect(dense.results[0]!.title).toBe('sponsorship');
  });

  it('records the page and fused ranks, and the reranker reorders the fused top and records its ranks', async () => {
    const plain = await new Retriever(store, embedder).retrieve('feedback observation', { k: 3 });
    plain.results.forEach((result) => {
      expect(result.ranks.fused).toBeGreaterThan(0);
      expect(result.ranks.page).toBeGreaterThan(0);
      expect(result.ranks.reranked).toBeNull();
    });
    // A reranker that reverses the candidates: the results follow its order, not the fused one.
    const reversing: Reranker = { name: 'reverse', rerank: async (_question, candidates) => [...candidates].reverse() };
    const reranking = new Retriever(store, embedder, 'hybrid', { reranker: reversing });
    expect(reranking.reranker).toBe('reverse');
    const { results, timings } = await reranking.retrieve('feedback observation', { k: 3, perDocument: 10 });
    const reranks = results.map((result) => result.ranks.reranked!);
    expect(reranks).toEqual([...reranks].sort((a, b) => a - b));
    expect(results[0]!.ranks.fused).toBeGreaterThan(results.at(-1)!.ranks.fused!);
    expect(timings.rerankMs).toBeGreaterThanOrEqual(0);
    // Single-list modes and rerank: false leave the reranker out.
    const keyword = await reranking.retrieve('feedback observation', { k: 3, mode: 'keyword' });
    expect(keyword.results.every((result) => result.ranks.reranked === null)).toBe(true);
    const skipped = await reranking.retrieve('feedback observation', { k: 3, rerank: false });
    expect(skipped.results.map((result) => result.chunkId)).toEqual(plain.results.map((result) => result.chunkId));
  });
});
