import type { Ranks } from '../api/types.js';
import { stages, type RankedRow } from './RanksTable.js';

const width = 640;
const height = 260;
/** The columns: each stage, then the place in the results (after reranking and at most two passages a page). */
const columns = [
  ...stages.map((stage) => ({ key: stage.key as keyof Ranks | 'result', label: stage.label })),
  { key: 'result' as const, label: 'Result' },
];
const margin = { top: 22, right: 34, bottom: 10, left: 34 };
const ticks = [1, 2, 5, 10, 20, 50, 100, 200, 500];

export interface RankPoint {
  stage: keyof Ranks | 'result';
  label: string;
  rank: number;
  x: number;
  y: number;
}

/** The y of a rank on a log scale from 1 (top) to `worst` (bottom): the top places, the ones that matter, get the room. */
export function rankY(rank: number, worst: number): number {
  const span = Math.log(Math.max(worst, 2));
  return margin.top + (Math.log(Math.max(rank, 1)) / span) * (height - margin.top - margin.bottom);
}

export function stageX(index: number): number {
  return margin.left + (index / (columns.length - 1)) * (width - margin.left - margin.right);
}

const rankAt = (row: Pick<RankedRow, 'rank' | 'ranks'>, key: keyof Ranks | 'result') => (key === 'result' ? row.rank : row.ranks[key]);

/**
 * Each passage's rank at each stage that saw it, then its place in the results, placed on
 * the chart (stages that did not see it are left out).
 */
export function stageRankSeries(rows: readonly Pick<RankedRow, 'key' | 'rank' | 'ranks'>[]): {
  worst: number;
  series: { key: string; points: RankPoint[] }[];
} {
  const all = rows.flatMap((row) =>
    columns.map((column) => rankAt(row, column.key)).filter((rank): rank is number => typeof rank === 'number'),
  );
  const worst = Math.max(2, ...all);
  const series = rows.map((row) => ({
    key: row.key,
    points: columns.flatMap((column, index) => {
      const rank = rankAt(row, column.key);
      return typeof rank === 'number' ? [{ stage: column.key, label: column.label, rank, x: stageX(index), y: rankY(rank, worst) }] : [];
    }),
  }));
  return { worst, series };
}

/**
 * The rank of each passage at each stage (dense, keyword, page, fused, reranked) as a
 * compact bump chart: one line per passage, left to right through the stages, rank 1 at
 * the top (log scale). Inline SVG with classes only, so the CSP's `style-src 'self'` holds;
 * the table of ranks beside it has the same numbers.
 */
export function StageRanksChart({ rows }: { rows: readonly RankedRow[] }) {
  const { worst, series } = stageRankSeries(rows);
  const shownTicks = ticks.filter((tick) => tick <= worst);
  return (
    <figure className="stage-ranks-chart">
      <svg
        role="img"
        aria-label={`Ranks of the ${rows.length} results at each stage, one line per passage from the dense and keyword lists to the reranker; the table below has the numbers`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
      >
        {shownTicks.map((tick) => (
          <g key={tick} className="chart-grid">
            <line x1={margin.left - 6} x2={width - margin.right} y1={rankY(tick, worst)} y2={rankY(tick, worst)} />
            <text x={margin.left - 10} y={rankY(tick, worst) + 4} textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {columns.map((column, index) => (
          <text key={column.key} className="chart-axis" x={stageX(index)} y={12} textAnchor="middle">
            {column.label}
          </text>
        ))}
        {series.map((line, index) => {
          const row = rows[index]!;
          const last = line.points.at(-1);
          const label = `${row.rank}. ${row.heading || row.title}: ${line.points
            .filter((point) => point.stage !== 'result')
            .map((point) => `${point.label.toLowerCase()} ${point.rank}`)
            .join(', ')}`;
          return (
            <g key={line.key} className={`series series-${index % 10}`} data-result={row.rank}>
              <title>{label}</title>
              <polyline points={line.points.map((point) => `${point.x},${point.y}`).join(' ')} />
              {line.points.map((point) => (
                <circle key={point.stage} cx={point.x} cy={point.y} r={3.5} />
              ))}
              {last && (
                <text x={last.x + 8} y={last.y + 4} className="series-label">
                  {row.rank}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="hint">
        Each line is one result, through its rank in the dense and keyword lists, its page, fusion and the reranker, to its place in the
        results (at most two passages a page); higher is better, log scale, and a stage that did not see a passage is skipped.
      </figcaption>
    </figure>
  );
}
