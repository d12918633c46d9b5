/** Share of the expected items found in the first `k` retrieved. */
export function recallAtK(expected: readonly string[], retrieved: readonly string[], k: number): number {
  if (expected.length === 0) return 0;
  const top = new Set(retrieved.slice(0, k));
  return expected.filter((item) => top.has(item)).length / expected.length;
}

/** Reciprocal of the rank of the first expected item within the first `k` (0 when none). */
export function reciprocalRankAtK(expected: readonly string[], retrieved: readonly string[], k: number): number {
  const wanted = new Set(expected);
  const index = retrieved.slice(0, k).findIndex((item) => wanted.has(item));
  return index === -1 ? 0 : 1 / (index + 1);
}

/** Normalised discounted cumulative gain at `k`, with binary relevance. */
export function ndcgAtK(expected: readonly string[], retrieved: readonly string[], k: number): number {
  const wanted = new Set(expected);
  const gain = retrieved.slice(0, k).reduce((sum, item, index) => sum + (wanted.has(item) ? 1 / Math.log2(index + 2) : 0), 0);
  let ideal = 0;
  for (let index = 0; index < Math.min(k, wanted.size); index += 1) ideal += 1 / Math.log2(index + 2);
  return ideal === 0 ? 0 : gain / ideal;
}
