import type { Ranks } from '../api/types.js';
import { stages, type RankedRow } from './RanksTable.js';

/** The columns: each stage, then the place in the results (after reranking and at most two passages a page). */
export const columns = [
  ...stages.map((stage) => ({ key: stage.key as keyof Ranks | 'result', label: stage.label })),
  { key: 'result' as const, label: 'Result' },
];
const rankAt = (row: Pick<RankedRow, 'rank' | 'ranks'>, key: keyof Ranks | 'result') => (key === 'result' ? row.rank : row.ranks[key]);

/** The series key of the result at `index` in the chart's data. */
export const seriesKey = (index: number) => `r${index}`;
/** The index of the result whose series key is `key`. */
export const seriesIndex = (key: string) => Number(key.slice(1));

/**
 * The chart's data: a point per stage (and the place in the results), with each passage's
 * rank there under its series key (null where the stage did not see it), and the worst rank
 * shown, for the axis.
 */
export function stageRankData(rows: readonly Pick<RankedRow, 'rank' | 'ranks'>[]): {
  worst: number;
  data: ({ stage: string } & Record<string, number | string | null>)[];
} {
  const all = rows.flatMap((row) =>
    columns.map((column) => rankAt(row, column.key)).filter((rank): rank is number => typeof rank === 'number'),
  );
  const data = columns.map((column) => ({
    stage: column.label,
    ...Object.fromEntries(rows.map((row, index) => [seriesKey(index), rankAt(row, column.key) ?? null])),
  }));
  return { worst: Math.max(2, ...all), data };
}

/** What a passage's line is called: its place in the results and its heading. */
export function seriesLabel(row: Pick<RankedRow, 'rank' | 'heading' | 'title'>): string {
  return `${row.rank}. ${row.heading || row.title}`;
}
