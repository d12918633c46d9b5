import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '@cairn/core';
import { keywordWeights, queryTerms } from '@cairn/text';
import { inverseDocumentFrequency, type ChunkInput, type Store } from '../src/index.js';
import { axisVector, runtimes, testDocument } from './runtimes.js';

const dimensions = 4;
const model = 'page-keyword-model-v1';

function chunks(page: string, texts: readonly string[]): ChunkInput[] {
  return texts.map((text, ordinal) => ({
    ordinal,
    headingPath: [page, `Part ${ordinal}`],
    heading: `${page} › Part ${ordinal}`,
    anchor: `part-${ordinal}`,
    text,
    tokenCount: text.split(' ').length,
    contentHash: contentHash(`${page}\n${text}`),
    keywords: keywordWeights(`${page} › Part ${ordinal}`, text),
  }));
}

describe.each(runtimes)('page-level keyword evidence on $name', (runtime) => {
  let store: Store;
  let close: () => Promise<void>;
  const ids = new Map<string, string>();
  const pages_: Record<string, string[]> = {
    // Each of the question's terms, in a passage of its own.
    spread: [
      'Estimates slip when the work is not broken down.',
      'Deadlines set by leadership ignore the estimates.',
      'A roadmap with buffers absorbs the surprises.',
    ],
    // Two of the terms, both in one passage.
    lucky: ['Estimates and deadlines in one sentence.', 'Nothing else here.'],
    unrelated: ['Sponsors advocate for people in rooms they are not in.'],
    // In another source: only a filter on that source finds it.
    elsewhere: ['Roadmap estimates, from another site.'],
  };

  beforeAll(async () => {
    ({ store, close } = await runtime.open());
    await store.embeddings.registerModel(model, dimensions);
    const { id: pagesSource } = await store.sources.upsert({ name: 'pages', kind: 'web', baseUrl: 'https://pages.test/' });
    const { id: elsewhereSource } = await store.sources.upsert({ name: 'elsewhere', kind: 'web', baseUrl: 'https://elsewhere.test/' });
    for (const [page, texts] of Object.entries(pages_)) {
      const sourceId = page === 'elsewhere' ? elsewhereSource : pagesSource;
      const input = chunks(page, texts);
      await store.documents.replace(testDocument(sourceId, page, 'pages.test'), input, {
        model,
        vectors: new Map(input.map((item, index) => [item.contentHash, axisVector(dimensions, { [index % dimensions]: 1 })])),
      });
    }
    await store.documents.refreshStatistics();
    for (const source of ['pages', 'elsewhere'])
      for (const [documentId, locator] of await store.documents.locatorsOfSource(source)) ids.set(locator, documentId);
  }, 60_000);

  afterAll(async () => close?.());

  const terms = queryTerms('estimates deadlines roadmap');

  it('scores each page by its best passage under each term, summed over the terms, and leaves out pages without any', async () => {
    const filters = { sources: ['pages'] };
    const { keyword, pages } = await store.search.keywordCandidateList(terms, { limit: 10, pages: true, filters });
    expect([...pages!.keys()]).toEqual([ids.get('spread'), ids.get('lucky')]);

    // The spread page's score is exactly Σ idf(term) × its best passage's weight under the term.
    const statistics = await store.search.currentTermStatistics();
    const expected = terms.reduce((sum, term) => {
      const best = Math.max(...chunks('spread', pages_.spread!).map((chunk) => chunk.keywords.get(term) ?? 0));
      return sum + inverseDocumentFrequency(statistics, term) * best;
    }, 0);
    expect(pages!.get(ids.get('spread')!)).toBeCloseTo(expected, 4);

    // No single passage of the spread page scores as well in the keyword list: the page's evidence is across passages.
    expect(keyword[0]!.documentId).toBe(ids.get('lucky'));
    expect(pages!.get(ids.get('spread')!)!).toBeGreaterThan(keyword[0]!.score);
    // The list itself is the keyword list, with or without the pages.
    expect(keyword).toEqual(await store.search.keywordCandidates(terms, { limit: 10, filters }));
    expect(await store.search.keywordCandidateList(terms, { limit: 10, filters })).toEqual({ keyword, corpusVersion: expect.any(String) });
  });

  it('gives the same pages when both lists are one statement, and none where no term matches', async () => {
    const { pages } = await store.search.keywordCandidateList(terms, { limit: 10, pages: true });
    const lists = await store.search.candidateLists({ id: model, dimensions }, axisVector(dimensions, { 0: 1 }), terms, {
      limit: 10,
      pages: true,
    });
    expect(lists.pages).toEqual(pages);
    expect(
      (await store.search.candidateLists({ id: model, dimensions }, axisVector(dimensions, { 0: 1 }), terms, { limit: 10 })).pages,
    ).toBeUndefined();
    expect((await store.search.keywordCandidateList(queryTerms('zeppelin'), { limit: 10, pages: true })).pages!.size).toBe(0);
    expect((await store.search.keywordCandidateList([], { limit: 10, pages: true })).pages!.size).toBe(0);
  });

  it('applies the filters to the pages as to the passages', async () => {
    const { pages } = await store.search.keywordCandidateList(terms, { limit: 10, pages: true, filters: { sources: ['elsewhere'] } });
    expect([...pages!.keys()]).toEqual([ids.get('elsewhere')]);
  });
});
