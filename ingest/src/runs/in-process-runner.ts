import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Embedder } from '@cairn/embed';
import type { RunTrigger, Store } from '@cairn/store';
import { runCrawl, type CrawlProgress } from '../crawl/crawl-source.js';
import type { Crawler } from '../crawl/create-crawler.js';
import { runPage } from '../crawl/run-page.js';
import type { PassageContextWriter } from '../pipeline/passage-context.js';

export interface RunRequest {
  /** One source, or every enabled web source when absent. */
  sourceId?: string | undefined;
  /** Just this page of the source (which is then required), not a crawl. */
  url?: string | undefined;
  trigger: RunTrigger;
  /** Refused with `ingest_queue_full` when this many runs wait already (INGEST_MAX_QUEUED_RUNS), checked as the run is recorded. */
  maxQueued?: number | undefined;
}

/**
 * The error of a run whose process stopped while it ran (a crash, kill -9, a power cut).
 * Its crawl cannot go on where it stopped, so the run ends failed with this error and a
 * ledger entry; the pages it stored stay stored, and a new run finds them unchanged.
 */
export const interruptedRunError =
  'interrupted: the process running it stopped (a crash or kill -9) before it finished; the pages it stored are kept; start a new run to finish the crawl';

export interface InProcessRunnerOptions {
  onProgress?: (progress: CrawlProgress) => void;
  onError?: (error: unknown, runId: string) => void;
  /** Where the runner says which runs it took up from a process that stopped. */
  log?: (line: string) => void;
  /**
   * How often the runner refreshes the heartbeat of its runs, stops a run of its own that
   * another process cancelled and (on server Postgres) takes up the runs of processes
   * whose heartbeat stopped; default 5 s.
   */
  heartbeatMs?: number;
}

/** Why a run of this process ended cancelled when the process stopped, as its record says. */
export const stoppedByShutdown = 'the process running it stopped (a shutdown or SIGTERM); what it stored stays searchable';

/**
 * Runs ingestion in the API's own process when no queue is configured: a run is recorded
 * as queued at once, then crawled in the background, one run at a time, with the same
 * pipeline and records as the queue's workers.
 *
 * Each run it records names this runner as its owner, with a heartbeat, so that runs
 * outlive a crash of the process (see `recover`): a stop (SIGTERM) cancels the run in
 * progress and leaves the waiting ones queued for the next start.
 */
export class InProcessRunner {
  /** How this runner is named as the owner of its runs: host, process id and a random part. */
  readonly owner = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private tail: Promise<void> = Promise.resolve();
  private readonly shutdown = new AbortController();
  /** Runs scheduled here that have not ended yet. */
  private readonly pending = new Set<string>();
  /** Runs that failed here whose record still says queued or running, with the error to record (see endUnended). */
  private readonly unended = new Map<string, string>();
  /** Runs taken up from a process that stopped: a stop of this one puts them back in the queue. */
  private readonly adopted = new Set<string>();
  private current: { runId: string; stop: AbortController } | undefined;
  private readonly timer: NodeJS.Timeout;
  private beating: Promise<void> | undefined;
  /** An embedded database (PGlite) is one process's: every unfinished run it holds at start was left by a process that is gone. */
  private readonly exclusive: boolean;

  constructor(
    private readonly dependencies: {
      store: Store;
      embedder: Embedder;
      crawler: Crawler;
      /** Writes the sentence that situates each new passage in its page (CAIRN_PASSAGE_CONTEXT=llm). */
      passageContext?: PassageContextWriter | undefined;
    },
    private readonly options: InProcessRunnerOptions = {},
  ) {
    this.exclusive = dependencies.store.database.runtime === 'pglite';
    this.timer = setInterval(() => this.beat(), options.heartbeatMs ?? 5000);
    this.timer.unref();
  }

  /**
   * A source's schedule fired at `firedAt`: records a scheduled run and runs it, unless a
   * scheduled run of the source was recorded since (see RunsRepository.createScheduled).
   * Resolves with the run's id, or undefined.
   */
  async enqueueScheduled(sourceId: string, firedAt: Date): Promise<string | undefined> {
    const run = await this.dependencies.store.runs.createScheduled(sourceId, firedAt, this.owner);
    if (run) this.schedule(run.id, { sourceId, trigger: 'schedule' });
    return run?.id;
  }

  /** Records a queued run and schedules it; resolves with its id before the crawl starts. */
  async enqueue(request: RunRequest): Promise<string> {
    const { store } = this.dependencies;
    const run = await store.runs.create(request.sourceId ?? null, request.trigger, {
      owner: this.owner,
      pageUrl: request.url,
      maxQueued: request.maxQueued,
    });
    this.schedule(run.id, request);
    return run.id;
  }

  /**
   * Takes up the runs that processes which stopped left unfinished: on an embedded
   * database every queued or running run not this runner's (one process opens it at a
   * time), on server Postgres those whose owner's heartbeat is older than
   * `runStaleAfterMs` (the BullMQ queue's runs have no owner and are left alone). A run
   * that was running ends failed with `interruptedRunError` and a ledger entry; a queued
   * one is scheduled here, in the order the runs were asked for. Called at start
   * (openRuntime) and, on server Postgres, at each heartbeat.
   */
  async recover(): Promise<{ failed: string[]; resumed: string[] }> {
    if (this.shutdown.signal.aborted) return { failed: [], resumed: [] };
    const { failed, adopted } = await this.dependencies.store.runs.recoverOrphans(this.owner, {
      exclusive: this.exclusive,
      error: interruptedRunError,
    });
    for (const run of adopted) {
      this.adopted.add(run.id);
      this.schedule(run.id, { sourceId: run.sourceId ?? undefined, url: run.pageUrl ?? undefined, trigger: run.trigger });
    }
    if (failed.length > 0)
      this.options.log?.(`${failed.length} ingestion run(s) interrupted when their process stopped, now failed: ${failed.join(', ')}`);
    if (adopted.length > 0)
      this.options.log?.(
        `${adopted.length} queued ingestion run(s) of a process that stopped taken up: ${adopted.map((run) => run.id).join(', ')}`,
      );
    return { failed, resumed: adopted.map((run) => run.id) };
  }

  /**
   * Stops a run that an admin cancelled (its record says so already, see
   * RunsRepository.cancel): the run in progress here stops at its next page, and a run
   * waiting here will not start. Resolves true when the run was this runner's.
   */
  async cancel(runId: string): Promise<boolean> {
    if (this.current?.runId === runId) this.current.stop.abort();
    return this.pending.has(runId);
  }

  private schedule(runId: string, request: RunRequest): void {
    this.pending.add(runId);
    this.tail = this.tail.then(() => this.execute(runId, request));
  }

  private async execute(runId: string, request: RunRequest): Promise<void> {
    const { store } = this.dependencies;
    try {
      // A stop leaves the runs that have not started queued: the next start takes them up.
      if (this.shutdown.signal.aborted) return;
      // Cancelled while it waited, or taken up by a process that found this one's heartbeat stale.
      if (!(await store.runs.claim(runId, this.owner))) return;
      const stop = new AbortController();
      this.current = { runId, stop };
      try {
        await this.run(runId, request, AbortSignal.any([this.shutdown.signal, stop.signal]));
      } finally {
        this.current = undefined;
      }
      if (this.shutdown.signal.aborted && !stop.signal.aborted && this.adopted.has(runId)) {
        // A run taken up after a crash and cut short by this process's stop (a short
        // `cairn search`, say) goes back to the queue: that stop was not meant for it.
        await store.runs.requeue(runId);
      }
    } catch (error) {
      // runCrawl has marked the run failed, unless that write failed too (the database away):
      // then the run is ended here, now or at a later heartbeat. A failure of one run must not stop the next.
      this.options.onError?.(error, runId);
      this.unended.set(runId, `${(error as Error)?.message ?? String(error)}`);
      await this.endUnended();
    } finally {
      this.pending.delete(runId);
      this.adopted.delete(runId);
    }
  }

  private async run(runId: string, request: RunRequest, signal: AbortSignal): Promise<void> {
    const { store, embedder, crawler, passageContext } = this.dependencies;
    if (request.url && request.sourceId) {
      const source = await store.sources.findById(request.sourceId);
      await runPage({ store, embedder, passageContext, ...crawler }, { runId, source, url: request.url, final: true, signal });
      return;
    }
    const all = await store.sources.list();
    const sources = request.sourceId
      ? all.filter((source) => source.id === request.sourceId)
      : all.filter((source) => source.enabled && source.kind === 'web');
    await runCrawl(
      { store, embedder, passageContext, ...crawler },
      { sources, runId, trigger: request.trigger, onProgress: this.options.onProgress, signal },
    );
  }

  /** One heartbeat at a time; a failed one (the database away for a moment) is made again at the next. */
  private beat(): void {
    if (this.beating || this.shutdown.signal.aborted) return;
    this.beating = this.heartbeat()
      .catch(() => undefined)
      .finally(() => (this.beating = undefined));
  }

  /**
   * Ends as failed the runs that failed here but whose record could not say so (the database
   * was away when they failed): until it can, their heartbeat goes on, so that no other
   * process takes them for a crashed one's, and each heartbeat tries again.
   */
  private async endUnended(): Promise<void> {
    for (const [runId, message] of this.unended) {
      try {
        await this.dependencies.store.runs.failUnfinished(runId, message);
        this.unended.delete(runId);
      } catch {
        return;
      }
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.unended.size > 0) await this.endUnended();
    if (this.pending.size > 0 || this.unended.size > 0) {
      // Taken before the query: a run started while it awaits is not judged by its answer.
      const current = this.current;
      const live = new Set(await this.dependencies.store.runs.heartbeat(this.owner));
      // The run in progress is no longer queued or running here: another process cancelled it (or took it up).
      if (current && this.current === current && !live.has(current.runId)) current.stop.abort();
    }
    if (!this.exclusive) await this.recover();
  }

  /** Resolves when every run enqueued so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }

  /**
   * Cancels the run in progress (it is recorded as cancelled) and waits for it to stop;
   * the runs still waiting stay queued, for the next start to take up.
   */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.shutdown.abort(stoppedByShutdown);
    await this.beating;
    await this.tail;
    await this.endUnended();
    await this.dependencies.store.runs.release(this.owner).catch(() => undefined);
  }
}
