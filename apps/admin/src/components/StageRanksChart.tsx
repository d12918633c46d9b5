import { lazy, Suspense } from 'react';
import type { RankedRow } from './RanksTable.js';

const height = 240;

const StageRanksPlot = lazy(() => import('./StageRanksPlot.js').then((module) => ({ default: module.StageRanksPlot })));

/**
 * The rank of each passage at each stage (dense, keyword, page, fused, reranked) as a
 * compact bump chart, drawn with recharts (loaded on demand; a space of the chart's size
 * shows meanwhile): one line per passage, left to right through the stages, rank 1 at the
 * top (log scale). Hovering a stage, or focusing the chart and pressing the arrow keys, lists
 * the ranks there; the table of ranks beside it has the same numbers.
 */
export function StageRanksChart({ rows }: { rows: readonly RankedRow[] }) {
  return (
    <figure className="stage-ranks-chart">
      <Suspense fallback={<div style={{ height }} />}>
        <StageRanksPlot
          rows={rows}
          height={height}
          label={`Ranks of the ${rows.length} results at each stage, one line per passage from the dense and keyword lists to the reranker; the table below has the numbers`}
        />
      </Suspense>
      <figcaption className="hint">
        Each line is one result, through its rank in the dense and keyword lists, its page, fusion and the reranker, to its place in the
        results (at most two passages a page); higher is better, log scale, and a stage that did not see a passage is skipped.
      </figcaption>
    </figure>
  );
}
