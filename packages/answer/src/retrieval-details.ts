import type { RetrievalRanks, RetrievedPassage } from '@cairn/core';

/** A retrieved passage as the retrieval details of an answer show it. */
export interface RetrievalDetail {
  rank: number;
  chunkId: string;
  url: string;
  title: string;
  source: string;
  heading: string;
  score: number;
  /** Where it ranked at each stage: dense, keyword, page, fused, reranked. */
  ranks: RetrievalRanks;
  /** Whether the passage was given to the composer or model (the context budget may leave some out). */
  inPrompt: boolean;
}

/** Every passage retrieval returned, in rank order, marked when it was among those `given` to the composer or model. */
export function retrievalDetails(retrieved: readonly RetrievedPassage[], given: readonly RetrievedPassage[]): RetrievalDetail[] {
  const inPrompt = new Set(given.map((passage) => passage.chunkId));
  return retrieved.map((passage, index) => ({
    rank: index + 1,
    chunkId: passage.chunkId,
    url: passage.url,
    title: passage.title,
    source: passage.source,
    heading: passage.heading,
    score: passage.score,
    ranks: passage.ranks,
    inPrompt: inPrompt.has(passage.chunkId),
  }));
}
