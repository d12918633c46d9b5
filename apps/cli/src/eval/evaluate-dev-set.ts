import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { meaningSimilarity, type Embedder } from '@cairn/embed';
import { ingestDirectory, parseHtmlNote, parseMarkdownNote, toSourceName } from '@cairn/ingest';
import { evaluateRetrieval, FeatureReranker, ndcgAtK, reciprocalRankAtK, recallAtK, Retriever, type GoldQuestion } from '@cairn/retrieve';
import { Store } from '@cairn/store';
import { urlPathKey, type DevSet } from './dev-set.js';
import { WholePageBm25, type WholePage } from './whole-page-bm25.js';

/** The stages of retrieval, in pipeline order (`reranked`: the offline FeatureReranker over the fused top 50). */
export const evaluationStages = ['keyword', 'dense', 'fused', 'reranked'] as const;
export type EvaluationStage = (typeof evaluationStages)[number];

export interface StageScores {
  stage: EvaluationStage | 'whole-page-bm25';
  /** Null when the stage does not exist yet (reported as n/a). */
  recallAt5: number | null;
  mrrAt10: number | null;
  ndcgAt10: number | null;
  perQuestion: { id: string; ndcgAt10: number; retrieved: string[] }[];
}

export interface SetEvaluation {
  set: string;
  description: string;
  questions: number;
  pages: number;
  embeddingModel: string;
  /** The stages, then the whole-page BM25 baseline; hits counted by page, not passage. */
  stages: StageScores[];
  baseline: StageScores;
  /** Notes that did not parse, and expected pages that are not in the set: both should be empty. */
  problems: string[];
}

const noteExtensions = new Set(['.md', '.markdown', '.html', '.htm']);

/** Reads every note of a set as one whole page, keyed as the set's questions name pages. */
export async function readWholePages(set: Pick<DevSet, 'notesDirectory' | 'pageKey'>): Promise<WholePage[]> {
  const entries = await readdir(set.notesDirectory, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && noteExtensions.has(extname(entry.name).toLowerCase()))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  const pages: WholePage[] = [];
  for (const file of files) {
    const locator = relative(set.notesDirectory, file).split('\\').join('/');
    const text = await readFile(file, 'utf8');
    let outline;
    try {
      outline = /\.html?$/i.test(file) ? parseHtmlNote(text, locator) : parseMarkdownNote(text, locator);
    } catch {
      continue; // ingestion records the same failure; the report lists it
    }
    const body = outline.blocks.map((block) => block.text).join('\n');
    pages.push({ key: pageKeyOf(set.pageKey, locator, outline.url), title: outline.title, text: body });
  }
  return pages;
}

export function pageKeyOf(pageKey: DevSet['pageKey'], locator: string, url: string): string {
  return pageKey === 'slug' ? locator.replace(/\.(md|markdown|html?)$/i, '') : urlPathKey(url);
}

function scoreRankings(
  stage: StageScores['stage'],
  questions: readonly GoldQuestion[],
  rank: (question: GoldQuestion) => string[],
): StageScores {
  let recall = 0;
  let mrr = 0;
  let ndcg = 0;
  const perQuestion: StageScores['perQuestion'] = [];
  for (const question of questions) {
    const retrieved = rank(question).slice(0, 10);
    recall += recallAtK(question.expected, retrieved, 5);
    mrr += reciprocalRankAtK(question.expected, retrieved, 10);
    const questionNdcg = ndcgAtK(question.expected, retrieved, 10);
    ndcg += questionNdcg;
    perQuestion.push({ id: question.id, ndcgAt10: questionNdcg, retrieved });
  }
  const count = questions.length || 1;
  return { stage, recallAt5: recall / count, mrrAt10: mrr / count, ndcgAt10: ndcg / count, perQuestion };
}

/**
 * Scores each retrieval stage on a set, beside the whole-page BM25 baseline: the set's notes
 * are ingested into a fresh in-memory database (PGlite) with the given embedder, and a
 * question's hit is a page (a document at its best chunk), as the questions name pages.
 */
export async function evaluateDevSet(set: DevSet, embedder: Embedder): Promise<SetEvaluation> {
  const problems: string[] = [];
  const pages = await readWholePages(set);
  const known = new Set(pages.map((page) => page.key));
  for (const question of set.questions) {
    for (const expected of question.expected) if (!known.has(expected)) problems.push(`${question.id} expects ${expected}, not in the set`);
  }
  const baselineIndex = new WholePageBm25(pages);
  const baseline = scoreRankings('whole-page-bm25', set.questions, (question) => baselineIndex.rank(question.question, 10));

  const store = await Store.open({});
  try {
    await store.embeddings.registerModel(embedder.model, embedder.dimensions, embedder.vectorType, embedder.meaningDimensions);
    const sourceName = toSourceName(set.name);
    const ingested = await ingestDirectory(store, embedder, { directory: set.notesDirectory, sourceName, trigger: 'cli' });
    for (const failure of ingested.failures) problems.push(`${failure.file}: ${failure.error}`);
    const locators = await store.documents.locatorsOfSource(sourceName);
    const options = {
      documentKey: (result: { documentId: string; url: string }) =>
        pageKeyOf(set.pageKey, locators.get(result.documentId) ?? result.url, result.url),
      filters: { sources: [sourceName] },
    };
    const firstStage = await evaluateRetrieval(new Retriever(store, embedder), set.questions, {
      ...options,
      modes: ['keyword', 'dense', 'hybrid'],
    });
    const reranker = new FeatureReranker(meaningSimilarity(embedder));
    const [reranked] = await evaluateRetrieval(new Retriever(store, embedder, 'hybrid', { reranker }), set.questions, {
      ...options,
      modes: ['hybrid'],
    });
    const stages: StageScores[] = [...firstStage, { ...reranked!, mode: 'reranked' as const }].map(
      ({ mode, recallAt5, mrrAt10, ndcgAt10, perQuestion }) => ({
        stage: mode === 'hybrid' ? 'fused' : mode,
        recallAt5,
        mrrAt10,
        ndcgAt10,
        perQuestion,
      }),
    );
    return {
      set: set.name,
      description: set.description,
      questions: set.questions.length,
      pages: pages.length,
      embeddingModel: embedder.model,
      stages,
      baseline,
      problems,
    };
  } finally {
    await store.close();
  }
}
