import type { Embedder } from '@cairn/embed';
import { loadGoldSet } from '@cairn/starter-corpus';
import { denseSearchQuery, inverseDocumentFrequency, type Store } from '@cairn/store';
import { queryTerms } from '@cairn/text';
import { percentile } from './starter-retrieval.js';

/** What the dense list as search runs it keeps of the exact one, over a stored corpus (DenseRecall). */
export interface DenseRecall {
  questions: number;
  /** Mean share of the exact top 10 and top 50 that the list as shipped returns, and the worst question's. */
  top10: number;
  top10Worst: number;
  top50: number;
  top50Worst: number;
  /** p50 of the dense statement as shipped, and of the exact scan of every vector, in this process (ms). */
  shippedMs: number;
  exactMs: number;
}

/**
 * The dense list as search runs it for `embedder`'s model (two stages for a model with a
 * meaning part: denseSearchQuery) against the exact ranking of every stored vector (the
 * same statement for the model as if it had none, whose index then does not apply), over the
 * starter gold set's questions (or the `questions` given), 50 rows each. Undefined for a model without a meaning part,
 * whose list is the index's.
 */
export async function measureDenseRecall(
  store: Store,
  embedder: Embedder,
  questions: readonly string[] = loadGoldSet().map((gold) => gold.question),
): Promise<DenseRecall | undefined> {
  if (!embedder.meaningDimensions) return undefined;
  const model = { id: embedder.model, dimensions: embedder.dimensions, meaningDimensions: embedder.meaningDimensions };
  const exactModel = { id: embedder.model, dimensions: embedder.dimensions };
  const statistics = await store.search.currentTermStatistics();
  const top10: number[] = [];
  const top50: number[] = [];
  const shippedMs: number[] = [];
  const exactMs: number[] = [];
  const run = async (statement: { sql: string; params: unknown[] }, times: number[]) => {
    const started = performance.now();
    const rows = await store.database.query<{ chunkId: string }>(statement.sql, statement.params);
    times.push(performance.now() - started);
    return rows.map((row) => row.chunkId);
  };
  for (const question of questions) {
    const vector = await embedder.embedQuery(question);
    const terms = queryTerms(question);
    const idfs = terms.map((term) => inverseDocumentFrequency(statistics, term));
    const exact = await run(denseSearchQuery(exactModel, vector, { limit: 50 }), exactMs);
    const shipped = new Set(await run(denseSearchQuery(model, vector, { limit: 50 }, [], { terms, idfs }), shippedMs));
    const kept = (count: number) =>
      exact.slice(0, count).filter((id) => shipped.has(id)).length / Math.max(1, Math.min(count, exact.length));
    top10.push(kept(10));
    top50.push(kept(50));
  }
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  return {
    questions: questions.length,
    top10: mean(top10),
    top10Worst: Math.min(...top10),
    top50: mean(top50),
    top50Worst: Math.min(...top50),
    shippedMs: percentile(shippedMs, 0.5),
    exactMs: percentile(exactMs, 0.5),
  };
}
