/**
 * Page-level evidence: a page whose passages together match a question ranks above a
 * page with one lucky passage. Each ranked list gives a page the reciprocal-rank credit of
 * its best `passagesPerPage` passages in that list (weighted as the list is in fusion);
 * pages are ranked by the sum. Counting only a few passages keeps a long page from winning
 * on length alone (every interview transcript has some passage near any question).
 *
 * With `lengthOf` (the page's length in passages) and `lengthExponent`, the sum is divided by
 * length^exponent, as BM25 normalises a term's frequency by a document's length: a page of
 * thirty passages has ten times the chances of a page of three to have some passages near any
 * question, so the same credit says less about it.
 *
 * With `pageList` (pages ranked by evidence of their own, such as keyword evidence over each
 * whole page), each page already credited also gets `weight / (k + rank)` of its rank in that
 * list, after length normalisation (a page-level score grows less with length than a sum of
 * passages does). Pages below the list's end (it may be cut short) get nothing from it.
 */
export function rankPages<Item>(
  lists: readonly (readonly Item[])[],
  pageOf: (item: Item) => string,
  options: {
    weights?: readonly number[];
    k?: number;
    passagesPerPage?: number;
    lengthOf?: (page: string) => number | undefined;
    lengthExponent?: number;
    pageList?: { pages: readonly string[]; weight: number };
  } = {},
): Map<string, { rank: number; score: number }> {
  const k = options.k ?? 60;
  const perPage = options.passagesPerPage ?? 3;
  const scores = new Map<string, number>();
  lists.forEach((list, listIndex) => {
    const counted = new Map<string, number>();
    list.forEach((item, position) => {
      const page = pageOf(item);
      const seen = counted.get(page) ?? 0;
      if (seen >= perPage) return;
      counted.set(page, seen + 1);
      scores.set(page, (scores.get(page) ?? 0) + (options.weights?.[listIndex] ?? 1) / (k + position + 1));
    });
  });
  const exponent = options.lengthExponent ?? 0;
  if (exponent !== 0 && options.lengthOf) {
    for (const [page, score] of scores) scores.set(page, score / Math.max(options.lengthOf(page) ?? 1, 1) ** exponent);
  }
  if (options.pageList && options.pageList.weight !== 0) {
    const { pages, weight } = options.pageList;
    pages.forEach((page, position) => {
      const score = scores.get(page);
      if (score !== undefined) scores.set(page, score + weight / (k + position + 1));
    });
  }
  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  return new Map(ranked.map(([page, score], index) => [page, { rank: index + 1, score }]));
}
