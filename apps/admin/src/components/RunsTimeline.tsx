import { lazy, Suspense } from 'react';
import type { Run } from '../api/types.js';
import { duration, timeAgo } from '../format.js';
import { progressOf } from './RunProgress.js';
import type { TimelineBar } from './RunsTimelinePlot.js';

/**
 * The bars of a timeline of runs, oldest first: each from its start (its creation while
 * queued) to its end (now while it runs), and where the time axis starts. `name` names a
 * run's source.
 */
export function timelineBars(
  runs: readonly Run[],
  now: number,
  name: (sourceId: string | null) => string,
): { start: number; bars: TimelineBar[] } {
  const starts = runs.map((run) => Date.parse(run.startedAt ?? run.createdAt));
  const start = Math.min(...starts, now - 60_000);
  const bars = runs.map((run, index) => {
    const begin = starts[index]!;
    const end = Math.max(run.finishedAt ? Date.parse(run.finishedAt) : now, begin);
    const { done } = progressOf(run.counts);
    const took = run.startedAt ? `, ${duration(end - begin)}` : '';
    return {
      id: run.id,
      status: run.status,
      lane: name(run.sourceId),
      range: [begin, end] as [number, number],
      label: `${name(run.sourceId)}: ${run.status}, ${done} pages${took}, ${timeAgo(run.createdAt, now)}`,
    };
  });
  return { start, bars };
}

const laneHeight = 18;
const axisHeight = 22;
const RunsTimelinePlot = lazy(() => import('./RunsTimelinePlot.js').then((module) => ({ default: module.RunsTimelinePlot })));

/**
 * Recent runs on a time axis, drawn with recharts (loaded on demand; a space of the chart's
 * size shows meanwhile): oldest first from the top, a lane per run named by its source and
 * coloured by status. Hovering a lane, or focusing the chart and pressing the arrow keys,
 * shows the run's numbers; the runs table below it has every number.
 */
export function RunsTimeline({ runs, now, name }: { runs: readonly Run[]; now: number; name: (sourceId: string | null) => string }) {
  const recent = [...runs].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt)).slice(-20);
  if (recent.length === 0) return null;
  const { start, bars } = timelineBars(recent, now, name);
  const counts = Object.entries(
    recent.reduce<Record<string, number>>((tally, run) => ({ ...tally, [run.status]: (tally[run.status] ?? 0) + 1 }), {}),
  )
    .map(([status, n]) => `${n} ${status}`)
    .join(', ');
  const what = recent.length === 1 ? 'the last run' : `the last ${recent.length} runs`;
  const height = bars.length * laneHeight + axisHeight;
  return (
    <figure className="runs-timeline">
      <figcaption>Timeline of {what}</figcaption>
      <Suspense fallback={<div style={{ height }} />}>
        <RunsTimelinePlot
          bars={bars}
          start={start}
          now={now}
          label={`Timeline of ${what}: ${counts}`}
          height={height}
          axisHeight={axisHeight}
        />
      </Suspense>
    </figure>
  );
}
