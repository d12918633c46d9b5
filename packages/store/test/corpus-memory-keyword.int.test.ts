import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash, sparseEmbedding, type EmbeddingVector } from '@cairn/core';
import { keywordWeights, queryTerms } from '@cairn/text';
import { Store, type ChunkInput } from '../src/index.js';
import { axisVector, documentInput, runtimes } from './runtimes.js';

/**
 * While the corpus is held in memory, search ranks the keyword list and the page-level keyword
 * evidence there too (CorpusMemory.keywordList), and reads only the corpus's version from the
 * database. These tests hold that ranking to the statements', question by question, over a
 * corpus built to have ties (passages of one length with the same counts of a term), terms
 * read past the depth of their postings, and a page that is not active but still has passages.
 */

const dimensions = 8;
const model = { id: 'memory-keyword-v1', dimensions };
/** A sparse model with a meaning part (its first 4 dimensions), as the local embedder's: two stages when the corpus is large. */
const meaningModel = { id: 'memory-keyword-meaning-v1', dimensions: 1_000, meaningDimensions: 4 };

function meaningVector(seed: number): EmbeddingVector {
  return sparseEmbedding(meaningModel.dimensions, [
    [seed % 4, 1],
    [(seed + 1) % 4, 0.5],
    [10 + (seed % 50), 0.4],
  ]);
}

/** Words the passages are made of: a few common ones (in many passages), the rest rarer. */
const words = ['feedback', 'team', 'manager', 'growth', 'career', 'staff', 'promotion', 'trust', 'meeting', 'hiring', 'review', 'goals'];

/** Passage `index` of page `page`: eight words drawn by a fixed rule, so that many passages share a length and a term's count. */
function passageText(page: number, index: number): string {
  const picked: string[] = [];
  for (let slot = 0; slot < 8; slot += 1) picked.push(words[(page * 7 + index * 3 + slot * (1 + (slot % 3))) % words.length]!);
  // Every third passage repeats its first word: a higher weight for it, and ties among those that do.
  if (index % 3 === 0) picked.push(picked[0]!);
  return `${picked.join(' ')} page ${page} part ${index}`;
}

function chunk(page: number, ordinal: number, copy?: { heading: string; text: string }): ChunkInput {
  const text = copy?.text ?? passageText(page, ordinal);
  const heading = copy?.heading ?? `Notes ${page} › Part ${ordinal}`;
  return {
    ordinal,
    headingPath: [`Notes ${page}`, `Part ${ordinal}`],
    heading,
    anchor: `part-${ordinal}`,
    text,
    tokenCount: text.split(' ').length,
    contentHash: contentHash(text),
    keywords: keywordWeights(heading, text),
  };
}

/**
 * Passages that several pages hold word for word (a note copied into each team's page): they
 * tie on score and content hash, and their pages tie on every term, so that the order of a
 * page's sum and the last ties decide.
 */
const copied = [
  { heading: 'Shared › Trust', text: 'trust meeting hiring review goals feedback team career growth staff' },
  { heading: 'Shared › Review', text: 'review goals feedback team manager promotion trust trust meeting' },
];

/** Page `page` of the source: articles and notes in turn. */
const notesPage = (sourceId: string, page: number) =>
  documentInput(sourceId, `notes-${page}`, { kind: page % 2 === 0 ? 'article' : 'note', title: `Notes ${page}` });

const questions: string[][] = [
  ...[
    'feedback team',
    'career growth promotion',
    'staff manager trust meeting',
    'hiring review goals feedback team career',
    'trust meeting hiring review goals',
    'feedback',
    'nothing matches this',
  ].map((question) => queryTerms(question)),
  // A term given twice (queryTerms gives each once; a caller may not): its postings count twice for a passage, once for a page.
  [...queryTerms('feedback team'), ...queryTerms('feedback')],
];

describe.each(runtimes)('the keyword list held in memory on $name', (runtime) => {
  let store: Store;
  let statementsOnly: Store;
  let close: () => Promise<void>;
  const contentHashes: string[] = [];

  async function held(searched: typeof model | typeof meaningModel = model): Promise<void> {
    const vector = searched === model ? axisVector(dimensions, { 0: 1 }) : meaningVector(0);
    for (let attempt = 0; attempt < 70 && !store.search.holdsCorpus(searched.id); attempt += 1) {
      await store.search.candidateLists(searched, vector, queryTerms('feedback'), { limit: 10 });
      await store.search.memorySettled();
    }
    expect(store.search.holdsCorpus(searched.id)).toBe(true);
  }

  /**
   * Each question's lists from memory and from the statements (`reference`'s), at several
   * lengths and depths, with and without pages.
   */
  async function compareAll(searched: typeof model | typeof meaningModel = model, reference: Store = statementsOnly): Promise<number> {
    let compared = 0;
    for (const terms of questions)
      for (const [limit, depth, pages] of [
        [1, undefined, true],
        [5, undefined, true],
        [50, undefined, true],
        [80, undefined, false],
        [10, 2, true],
        [10, 7, false],
      ] as const) {
        const question = terms.join(' ');
        const vector =
          searched === model ? axisVector(dimensions, { [question.length % dimensions]: 1, 7: 0.3 }) : meaningVector(question.length);
        const options = { limit, depth, pages };
        const fromMemory = await store.search.candidateLists(searched, vector, terms, options);
        const fromStatements = await reference.search.candidateLists(searched, vector, terms, options);
        expect(store.search.holdsCorpus(searched.id)).toBe(true);
        expect({ question, limit, depth, keyword: fromMemory.keyword }).toEqual({
          question,
          limit,
          depth,
          keyword: fromStatements.keyword,
        });
        // Pages in the same order with the same scores: both sum a page's terms in the query's order.
        expect({ question, limit, depth, pages: fromMemory.pages && [...fromMemory.pages] }).toEqual({
          question,
          limit,
          depth,
          pages: fromStatements.pages && [...fromStatements.pages],
        });
        compared += fromMemory.keyword.length;
      }
    return compared;
  }

  beforeAll(async () => {
    ({ store, close } = await runtime.open());
    statementsOnly = new Store(store.database, { memoryMaxPassages: 0 });
    await store.embeddings.registerModel(model.id, dimensions);
    const { id: sourceId } = await store.sources.upsert({ name: 'notes', kind: 'web', baseUrl: 'https://keyword-memory.test/' });
    for (let page = 0; page < 12; page += 1) {
      const chunks = Array.from({ length: 6 }, (_, ordinal) => chunk(page, ordinal));
      await store.documents.replace(notesPage(sourceId, page), chunks, {
        model: model.id,
        vectors: new Map(chunks.map((item, index) => [item.contentHash, axisVector(dimensions, { [(page + index) % dimensions]: 1 })])),
      });
      contentHashes.push(...chunks.map((item) => item.contentHash));
    }
    for (let page = 12; page < 24; page += 1) {
      const chunks = copied.map((copy, ordinal) => chunk(page, ordinal, copy));
      await store.documents.replace(notesPage(sourceId, page), chunks, {
        model: model.id,
        vectors: new Map(chunks.map((item, index) => [item.contentHash, axisVector(dimensions, { [index % dimensions]: 1 })])),
      });
    }
    await store.documents.refreshStatistics();
  }, 120_000);

  afterAll(async () => close?.());

  it('ranks every list and page as the statements do, ties, depths and repeated terms included', async () => {
    await held();
    // Ties exist: some weights of a term are equal among the passages its list reads.
    const [tied] = await store.database.query<{ tied: number }>(
      `select count(*)::int as tied from (select term, weight from keyword_postings group by term, weight having count(*) > 1) t`,
    );
    expect(tied!.tied).toBeGreaterThan(0);
    expect(await compareAll()).toBeGreaterThan(100);
  });

  it('leaves out, after the cut, the passages of a page that is not active, as the statements do', async () => {
    // A page set aside by hand with its passages in place: its postings still count against
    // each term's depth and the list's length, and its passages are then dropped.
    await store.database.query(`update documents set status = 'tombstoned' where locator = 'notes-3'`);
    await store.documents.refreshStatistics();
    await held();
    const terms = queryTerms('feedback team');
    const lists = await store.search.candidateLists(model, axisVector(dimensions, { 0: 1 }), terms, { limit: 50, pages: true });
    const [page] = await store.database.query<{ id: string }>(`select id from documents where locator = 'notes-3'`);
    expect(lists.keyword.map((candidate) => candidate.documentId)).not.toContain(page!.id);
    expect(await compareAll()).toBeGreaterThan(100);
  });

  it('ranks the keyword list of a model with a meaning part as the two-stage statement does', async () => {
    // The statement shares its keyword scores with the dense list's lexical candidates (candidateListsQuery) when
    // the dense list runs in two stages: here at any size, as exactDenseMaxPassages is 0.
    await store.embeddings.registerModel(meaningModel.id, meaningModel.dimensions, 'sparsevec', meaningModel.meaningDimensions);
    await store.embeddings.insert(meaningModel.id, new Map([...new Set(contentHashes)].map((hash, index) => [hash, meaningVector(index)])));
    await store.documents.refreshStatistics();
    await held(meaningModel);
    const twoStages = new Store(store.database, { memoryMaxPassages: 0, exactDenseMaxPassages: 0 });
    expect(await compareAll(meaningModel, twoStages)).toBeGreaterThan(100);
  });
});
