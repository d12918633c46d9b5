import type { RunsRepository } from '@cairn/store';

/** An admin's cancellation of one run, as a signal; `stop` ends the watch. */
export interface CancellationWatch {
  readonly signal: AbortSignal;
  stop(): void;
}

/**
 * Watches a run for an admin's cancellation (`RunsRepository.cancel`, which any process may
 * make): `signal` aborts within `intervalMs` of it, so that the crawl stops at its next
 * page. A check that fails (the database away for a moment) is made again at the next interval.
 */
export function watchCancellation(
  runs: Pick<RunsRepository, 'cancelRequested'>,
  runId: string,
  options: { intervalMs?: number } = {},
): CancellationWatch {
  const intervalMs = options.intervalMs ?? 2000;
  const controller = new AbortController();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => void check(), intervalMs);
    timer.unref();
  };
  const check = async () => {
    const requested = await runs.cancelRequested(runId).catch(() => false);
    if (stopped) return;
    if (requested) controller.abort();
    else schedule();
  };
  schedule();
  return {
    signal: controller.signal,
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
