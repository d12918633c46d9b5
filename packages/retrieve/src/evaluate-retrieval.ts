import type { RetrievalMode, SearchFilters } from '@cairn/core';
import { ndcgAtK, reciprocalRankAtK, recallAtK } from './evaluation-metrics.js';
import type { Retriever } from './retriever.js';

export interface GoldQuestion {
  id: string;
  question: string;
  expected: string[];
}

export interface ModeScores {
  mode: RetrievalMode;
  recallAt5: number;
  mrrAt10: number;
  ndcgAt10: number;
  /** Per-question nDCG@10, for finding the questions a mode gets wrong. */
  perQuestion: { id: string; ndcgAt10: number; retrieved: string[] }[];
}

export const evaluationModes: RetrievalMode[] = ['dense', 'keyword', 'hybrid'];

/**
 * Runs the gold set through each retrieval mode and scores the ranking of documents
 * (a document counts at its best chunk). `documentKey` maps a result's locator-like key
 * (its URL or title) to the ids the gold set uses.
 */
export async function evaluateRetrieval(
  retriever: Retriever,
  questions: readonly GoldQuestion[],
  options: {
    documentKey: (result: { documentId: string; url: string; title: string }) => string;
    filters?: SearchFilters;
    modes?: RetrievalMode[];
  },
): Promise<ModeScores[]> {
  const scores: ModeScores[] = [];
  for (const mode of options.modes ?? evaluationModes) {
    const perQuestion: ModeScores['perQuestion'] = [];
    let recall = 0;
    let mrr = 0;
    let ndcg = 0;
    for (const question of questions) {
      const { results } = await retriever.retrieve(question.question, { k: 30, mode, filters: options.filters, perDocument: 30 });
      const documents = [...new Set(results.map((result) => options.documentKey(result)))].slice(0, 10);
      recall += recallAtK(question.expected, documents, 5);
      mrr += reciprocalRankAtK(question.expected, documents, 10);
      const questionNdcg = ndcgAtK(question.expected, documents, 10);
      ndcg += questionNdcg;
      perQuestion.push({ id: question.id, ndcgAt10: questionNdcg, retrieved: documents });
    }
    const count = questions.length || 1;
    scores.push({ mode, recallAt5: recall / count, mrrAt10: mrr / count, ndcgAt10: ndcg / count, perQuestion });
  }
  return scores;
}
