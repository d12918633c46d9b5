import type { Run } from '../api/types.js';
import { duration, timeAgo } from '../format.js';
import { progressOf } from './RunProgress.js';

export interface TimelineBar {
  id: string;
  status: Run['status'];
  /** Where the bar starts and ends, as fractions of the timeline's width. */
  from: number;
  to: number;
  label: string;
}

/**
 * The bars of a timeline of runs, oldest at the left and now at the right: each from its
 * start (its creation while queued) to its end (now while it runs). `name` names a run's source.
 */
export function timelineBars(
  runs: readonly Run[],
  now: number,
  name: (sourceId: string | null) => string,
): { start: number; bars: TimelineBar[] } {
  const starts = runs.map((run) => Date.parse(run.startedAt ?? run.createdAt));
  const start = Math.min(...starts, now - 60_000);
  const span = Math.max(now - start, 1);
  const bars = runs.map((run, index) => {
    const begin = starts[index]!;
    const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
    const { done } = progressOf(run.counts);
    const took = run.startedAt ? `, ${duration(end - begin)}` : '';
    return {
      id: run.id,
      status: run.status,
      from: (begin - start) / span,
      to: Math.max((end - start) / span, (begin - start) / span),
      label: `${name(run.sourceId)}: ${run.status}, ${done} pages${took}, ${timeAgo(run.createdAt, now)}`,
    };
  });
  return { start, bars };
}

const width = 1000;

/**
 * Recent runs on a time axis, oldest first from the top, a lane per run named by its source
 * and coloured by status (inline SVG bars, no style attributes). The runs table below it
 * has the same runs with every number.
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
  const from = timeAgo(new Date(start).toISOString(), now);
  const what = recent.length === 1 ? 'the last run' : `the last ${recent.length} runs`;
  return (
    <figure className="runs-timeline">
      <figcaption>Timeline of {what}</figcaption>
      <div role="img" aria-label={`Timeline of ${what}: ${counts}`} className="timeline-body">
        <ol className="timeline-lanes">
          {bars.map((bar, index) => (
            <li key={bar.id}>
              <span className="lane-name">{name(recent[index]!.sourceId)}</span>
              <svg viewBox={`0 0 ${width} 10`} preserveAspectRatio="none" height={12} width="100%" aria-hidden="true">
                <rect className="chart-track" x={0} y={0} width={width} height={10} />
                <rect
                  className={`timeline-bar status-fill-${bar.status}`}
                  data-status={bar.status}
                  x={bar.from * width}
                  y={0}
                  width={Math.max((bar.to - bar.from) * width, 4)}
                  height={10}
                >
                  <title>{bar.label}</title>
                </rect>
              </svg>
            </li>
          ))}
        </ol>
        <div className="timeline-axis" aria-hidden="true">
          <span>{from}</span>
          <span>now</span>
        </div>
      </div>
    </figure>
  );
}
