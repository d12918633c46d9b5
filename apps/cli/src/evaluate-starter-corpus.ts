import type { RetrievalMode } from '@cairn/core';
import type { Embedder } from '@cairn/embed';
import { loadStarterCorpus, starterSourceName } from '@cairn/ingest';
import { evaluateRetrieval, Retriever, type ModeScores } from '@cairn/retrieve';
import { loadGoldSet } from '@cairn/starter-corpus';
import { Store } from '@cairn/store';

export interface StarterEvaluation {
  questions: number;
  embeddingModel: string;
  scores: ModeScores[];
  /** The mode with the best nDCG@10: the one criterion for choosing the default. */
  best: RetrievalMode;
}

/**
 * Scores dense, keyword and hybrid retrieval on the gold set, over the starter corpus
 * loaded into a fresh in-memory database (so the result does not depend on what else a
 * user's database holds).
 */
export async function evaluateStarterCorpus(embedder: Embedder): Promise<StarterEvaluation> {
  const store = await Store.open({});
  try {
    await store.embeddings.registerModel(embedder.model, embedder.dimensions, embedder.vectorType, embedder.meaningDimensions);
    await loadStarterCorpus(store, embedder, { force: true });
    const locators = await store.documents.locatorsOfSource(starterSourceName);
    const questions = loadGoldSet();
    const scores = await evaluateRetrieval(new Retriever(store, embedder), questions, {
      documentKey: (result) => (locators.get(result.documentId) ?? result.url).replace(/\.md$/, ''),
      filters: { sources: [starterSourceName] },
    });
    const best = [...scores].sort((a, b) => b.ndcgAt10 - a.ndcgAt10)[0]!.mode;
    return { questions: questions.length, embeddingModel: embedder.model, scores, best };
  } finally {
    await store.close();
  }
}
