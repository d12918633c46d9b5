import type { PagesByAge } from '@cairn/store';

/** Pages whose last crawl is between `fromDays` and `toDays` days ago; `toDays` null: at least `fromDays` (stale). */
export interface FreshnessBucket {
  fromDays: number;
  toDays: number | null;
  pages: number;
  stale: boolean;
}

/**
 * The age thresholds of the freshness buckets: a day, a week, then `staleAfterDays`, where
 * the stale bucket begins (the first two only when they are younger than that).
 */
export function freshnessThresholds(staleAfterDays: number): number[] {
  return [...[1, 7].filter((days) => days < staleAfterDays), staleAfterDays];
}

/** One source's pages by age since their last crawl, youngest first, every bucket present (empty ones count 0). */
export function freshnessBuckets(
  counts: readonly Pick<PagesByAge, 'bucket' | 'pages'>[],
  thresholds: readonly number[],
): FreshnessBucket[] {
  const edges = [0, ...thresholds];
  return edges.map((fromDays, index) => ({
    fromDays,
    toDays: edges[index + 1] ?? null,
    pages: counts.filter((count) => count.bucket === index).reduce((sum, count) => sum + count.pages, 0),
    stale: index === edges.length - 1,
  }));
}
