/** The constant of reciprocal rank fusion (Cormack et al.): damps the weight of the very top ranks. */
export const rrfConstant = 60;

export interface FusedItem<Item> {
  item: Item;
  score: number;
  /** 1-based rank in each input list, null where the item is absent. */
  ranks: (number | null)[];
}

/**
 * Reciprocal rank fusion: an item scores Σ weight / (k + rank) over the lists it appears in.
 * Ties keep the order of first appearance (list by list), so the result is deterministic.
 */
export function fuseRankings<Item>(
  lists: readonly (readonly Item[])[],
  keyOf: (item: Item) => string,
  options: { k?: number; weights?: readonly number[] } = {},
): FusedItem<Item>[] {
  const k = options.k ?? rrfConstant;
  const fused = new Map<string, FusedItem<Item> & { order: number }>();
  lists.forEach((list, listIndex) => {
    list.forEach((item, position) => {
      const key = keyOf(item);
      let entry = fused.get(key);
      if (!entry) {
        entry = { item, score: 0, ranks: lists.map(() => null), order: fused.size };
        fused.set(key, entry);
      }
      if (entry.ranks[listIndex] === null) {
        entry.ranks[listIndex] = position + 1;
        entry.score += (options.weights?.[listIndex] ?? 1) / (k + position + 1);
      }
    });
  });
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ item, score, ranks }) => ({ item, score, ranks }));
}

/**
 * Takes the top `k` while letting no group (a document) hold more than `perGroup` slots;
 * when too few groups exist to fill `k`, the best of the remainder fill the rest.
 */
export function diversify<Item>(ranked: readonly Item[], groupOf: (item: Item) => string, k: number, perGroup: number): Item[] {
  const chosen: Item[] = [];
  const deferred: Item[] = [];
  const counts = new Map<string, number>();
  for (const item of ranked) {
    if (chosen.length >= k) break;
    const group = groupOf(item);
    const count = counts.get(group) ?? 0;
    if (count < perGroup) {
      chosen.push(item);
      counts.set(group, count + 1);
    } else deferred.push(item);
  }
  for (const item of deferred) {
    if (chosen.length >= k) break;
    chosen.push(item);
  }
  if (deferred.length === 0) return chosen;
  // Keep the original order among the chosen items.
  const position = new Map(ranked.map((item, index) => [item, index]));
  return chosen.sort((a, b) => position.get(a)! - position.get(b)!);
}
