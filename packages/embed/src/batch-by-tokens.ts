import { estimateTokens } from '@cairn/core';

/** The OpenAI embeddings API's limits for one request. */
export const openAiEmbeddingLimits = { maxInputs: 2048, maxTokens: 300_000 } as const;

/**
 * Splits texts into batches that respect a request's input and token limits, keeping
 * order. Token counts are estimates, so the budget keeps a safety margin (80%).
 * Returns the index ranges [start, end) of each batch.
 */
export function batchByTokens(
  texts: readonly string[],
  limits: { maxInputs: number; maxTokens: number } = openAiEmbeddingLimits,
  safety = 0.8,
): [number, number][] {
  const tokenBudget = Math.floor(limits.maxTokens * safety);
  const batches: [number, number][] = [];
  let start = 0;
  let tokens = 0;
  texts.forEach((text, index) => {
    const cost = estimateTokens(text);
    if (index > start && (index - start >= limits.maxInputs || tokens + cost > tokenBudget)) {
      batches.push([start, index]);
      start = index;
      tokens = 0;
    }
    tokens += cost;
  });
  if (start < texts.length) batches.push([start, texts.length]);
  return batches;
}
