import { createRequire } from 'node:module';
import type { CronExpressionParser } from 'cron-parser';
import type { Store } from '@cairn/store';
import type { InProcessRunner } from './in-process-runner.js';

let parser: typeof CronExpressionParser | undefined;
/** cron-parser, loaded at the first schedule read rather than at every start. */
function cronParser(): typeof CronExpressionParser {
  parser ??= (createRequire(import.meta.url)('cron-parser') as { CronExpressionParser: typeof CronExpressionParser }).CronExpressionParser;
  return parser;
}

export interface InProcessSchedulerOptions {
  /** How often the schedules are read; default 30 s. */
  intervalMs?: number;
  /** The clock (a test moves it). */
  now?: () => Date;
  log?: (line: string) => void;
}

/**
 * Sources' re-ingestion schedules (cron, UTC) without the BullMQ queue: the embedded default,
 * and server Postgres without REDIS_URL, where `cairn worker` (which keeps the schedules in the
 * queue) does not run. Every `intervalMs` it reads the enabled web sources with a schedule and,
 * for each whose schedule fired since the last reading and that was crawled once already
 * (a schedule re-ingests: crawling a source the first time is an explicit step), records and runs a scheduled run in
 * this process (InProcessRunner.enqueueScheduled: one per firing, however many API processes
 * share the database). A firing while no process ran is not made up for: the next one comes.
 */
export class InProcessScheduler {
  private readonly timer: NodeJS.Timeout;
  private since: Date;
  private reading: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly runner: InProcessRunner,
    private readonly options: InProcessSchedulerOptions = {},
  ) {
    this.since = this.now();
    this.timer = setInterval(() => void this.check(), options.intervalMs ?? 30_000);
    this.timer.unref();
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Reads the schedules once (one reading at a time); resolves with the runs it started. */
  async check(): Promise<string[]> {
    if (this.closed || this.reading) return [];
    const started: string[] = [];
    this.reading = this.read(started)
      .catch((error: Error) => this.options.log?.(`schedules not read this time: ${error.message}`))
      .finally(() => (this.reading = undefined));
    await this.reading;
    return started;
  }

  private async read(started: string[]): Promise<void> {
    const now = this.now();
    for (const source of await this.store.sources.list()) {
      if (!source.enabled || source.kind !== 'web' || !source.schedule) continue;
      let fired: Date;
      try {
        fired = cronParser().parse(source.schedule, { currentDate: now, tz: 'UTC' }).prev().toDate();
      } catch {
        continue; // Schedules are checked when they are set; one that no longer parses fires nothing.
      }
      if (fired <= this.since || this.closed) continue;
      // A re-ingestion schedule: a source never crawled on purpose (the five defaults, at first) stays uncrawled.
      if (!(await this.store.runs.hasSucceeded(source.id))) continue;
      const runId = await this.runner.enqueueScheduled(source.id, fired);
      if (runId) {
        started.push(runId);
        this.options.log?.(`scheduled re-ingestion of ${source.name} (${source.schedule}): run ${runId}`);
      }
    }
    this.since = now;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.reading;
  }
}
