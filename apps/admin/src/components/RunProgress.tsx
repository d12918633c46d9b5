import { useEffect, useState } from 'react';
import type { Run, RunCounts } from '../api/types.js';
import { duration } from '../format.js';

/** Pages done (in any way) out of pages found so far. */
export function progressOf(counts: RunCounts): { done: number; total: number } {
  const done = counts.fetched + counts.unchanged + counts.skipped + counts.failed;
  return { done, total: Math.max(counts.discovered, done) };
}

/** Pages handled per second since the run started (until it finished, or `now`); null before it starts or within its first second. */
export function pagesPerSecond(run: Pick<Run, 'counts' | 'startedAt' | 'finishedAt'>, now: number): number | null {
  if (!run.startedAt) return null;
  const seconds = ((run.finishedAt ? Date.parse(run.finishedAt) : now) - Date.parse(run.startedAt)) / 1000;
  if (!(seconds >= 1)) return null;
  return progressOf(run.counts).done / seconds;
}

/** "4.2 pages/s", "0.35 pages/s". */
export function rateText(rate: number): string {
  return `${rate >= 10 ? rate.toFixed(0) : rate >= 1 ? rate.toFixed(1) : rate.toFixed(2)} pages/s`;
}

/** The current time, ticking every second while `live`: for rates and durations of runs in progress. */
export function useNow(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live]);
  return now;
}

/**
 * A run's progress: a bar of the pages done out of those found so far, the count, and the
 * pages per second (and, when it is done, how long it took).
 */
export function RunProgress({ run, wide = false }: { run: Run; wide?: boolean }) {
  const live = run.status === 'running';
  const now = useNow(live);
  const { done, total } = progressOf(run.counts);
  const label = `${done} of ${total} pages`;
  if (run.status === 'queued') return <span className="muted">waiting to start</span>;
  if (!run.startedAt) return <span className="muted">never started</span>;
  const rate = pagesPerSecond(run, now);
  const took = run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : null;
  return (
    <span className={wide ? 'progress progress-wide' : 'progress'}>
      <progress
        value={total === 0 ? undefined : done}
        max={total || undefined}
        aria-label={`Progress: ${label}`}
        data-status={run.status}
      />{' '}
      <span>
        {label}
        {rate !== null && <span className="rate"> · {rateText(rate)}</span>}
        {wide && took !== null && <span className="muted"> · took {duration(took)}</span>}
      </span>
    </span>
  );
}
