import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { CairnError } from '@cairn/core';
import type { Embedder } from '@cairn/embed';
import { queueOwner, type Store } from '@cairn/store';
import { runCrawl } from '../crawl/crawl-source.js';
import type { Crawler } from '../crawl/create-crawler.js';
import { runPage } from '../crawl/run-page.js';
import type { PassageContextWriter } from '../pipeline/passage-context.js';
import { reembedChunks } from '../reembed/reembed-chunks.js';
import { runFailureText } from '../runs/run-failure-text.js';
import { RunLedger } from '../runs/run-ledger.js';
import { watchCancellation } from '../runs/watch-cancellation.js';
import { ingestQueueName, redisConnection, type IngestJobName, type IngestJobs } from './job-catalog.js';
import { notQueuedPrefix } from './queue-runner.js';

export interface IngestWorkerOptions {
  redisUrl: string;
  prefix?: string;
  /** Jobs processed at once (default 2; politeness per host still holds across them). */
  concurrency?: number;
  /** How long a job's lock lasts without renewal: a killed worker's job is recovered after it. */
  lockDurationMs?: number;
  /** How often a job checks whether an admin cancelled its run (default 2 s): it stops at the next page after. */
  cancelCheckMs?: number;
  log?: (line: string) => void;
  /**
   * How often the worker looks for runs that can no longer end by themselves (default 60 s):
   * a failure it could not record, or a queued or running run whose job is gone from the queue.
   */
  sweepIntervalMs?: number;
  /** How old a run must be before a missing job counts as gone, not as still being added (default 2 min). */
  lostJobAfterMs?: number;
}

export interface IngestWorkerDependencies {
  store: Store;
  /** The configured model: what pages are embedded with. */
  embedder: Embedder;
  crawler: Crawler;
  /** Writes the sentence that situates each new passage in its page (CAIRN_PASSAGE_CONTEXT=llm); none when absent. */
  passageContext?: PassageContextWriter | undefined;
  /** An embedder for a model a re-embed job names (default: only `embedder`'s own model). */
  embedderFor?: (model: string) => Promise<Embedder>;
}

type Handler<Name extends IngestJobName> = (job: Job<IngestJobs[Name]>, signal: AbortSignal) => Promise<unknown>;

/**
 * The scheduled crawls still to run or running (active, waiting, delayed for a retry), by the
 * run their data names: a scheduled crawl's job id is the schedule's, not its run's.
 */
async function scheduledCrawlJobs(queue: Queue): Promise<Map<string, Job>> {
  const jobs = await queue.getJobs(['active', 'waiting', 'delayed', 'prioritized', 'waiting-children']);
  const byRun = new Map<string, Job>();
  for (const job of jobs) {
    const runId = job?.name === 'scheduled-crawl' ? (job.data as IngestJobs['scheduled-crawl']).runId : undefined;
    if (runId) byRun.set(runId, job);
  }
  return byRun;
}

/** Whether BullMQ will try this job again after the current attempt fails. */
function hasAttemptsLeft(job: Job): boolean {
  return job.attemptsMade + 1 < (job.opts.attempts ?? 1);
}

/**
 * A BullMQ worker for the ingestion queue and its job catalog. A crash (even kill -9)
 * leaves the job's lock to expire, and another worker takes the job up again: pages
 * already stored are found unchanged, so nothing is lost or stored twice. On close
 * (SIGTERM) the job in progress stops at the next page and goes back to the queue.
 */
export function startIngestWorker(dependencies: IngestWorkerDependencies, options: IngestWorkerOptions) {
  const { store, embedder, crawler, passageContext } = dependencies;
  const prefix = options.prefix ?? 'cairn';
  const log = options.log ?? (() => undefined);
  const shutdown = new AbortController();

  /**
   * Whether the API refused this job's run (Redis answered only after it had given up and
   * told the client so): such a job reached the queue late and is not run.
   */
  const refusedAtEnqueue = async (runId: string) => {
    const run = await store.runs.find(runId);
    const refused = run?.status === 'failed' && !run.startedAt && (run.error ?? '').startsWith(notQueuedPrefix);
    if (refused) log(`run ${runId}: not run, the API refused it when it could not reach the queue`);
    return refused;
  };

  /** Whether an admin cancelled this job's run before it started: the job ends without running it. */
  const cancelledBeforeStart = async (runId: string) => {
    const cancelled = await store.runs.cancelRequested(runId);
    if (cancelled) log(`run ${runId}: not run, it was cancelled`);
    return cancelled;
  };
  const watch = (runId: string) => watchCancellation(store.runs, runId, { intervalMs: options.cancelCheckMs });

  /**
   * Runs whose last attempt failed while their failure could not be written (the database was
   * away): the failure is written again every few seconds until it lands, as the in-process
   * runner does, so that no run stays "running" for ever.
   */
  const unended = new Map<string, string>();
  /** The run a scheduled crawl's job created, by job id: its job data names no run. */
  const scheduledRuns = new Map<string, string>();
  const endUnended = async () => {
    for (const [runId, message] of unended) {
      try {
        if (await store.runs.failUnfinished(runId, message)) log(`run ${runId}: recorded as failed (${message})`);
        unended.delete(runId);
      } catch {
        return;
      }
    }
  };

  /** Crawls one source (or all enabled web sources) into a run; a scheduled crawl creates its run. */
  const crawl = async (job: Job<IngestJobs['crawl-run'] | IngestJobs['scheduled-crawl']>, signal: AbortSignal) => {
    const data = job.data;
    // A schedule that fired for a source deleted, disabled or unscheduled since (the next sync removes it): no run.
    if (!data.runId) {
      const source = data.sourceId ? await store.sources.findById(data.sourceId) : undefined;
      if (!source || !source.enabled || !source.schedule || source.kind !== 'web') {
        log(`scheduled crawl of ${data.sourceId} skipped: the source is ${source ? 'no longer scheduled' : 'gone'}`);
        return { skipped: true };
      }
      // A schedule re-ingests: crawling a source the first time is an explicit step (README, "Sources and the crawler").
      if (!(await store.runs.hasSucceeded(source.id))) {
        log(`scheduled crawl of ${source.name} skipped: it has not been crawled yet (cairn ingest --source ${source.name})`);
        return { skipped: true };
      }
    }
    if (data.runId && (await refusedAtEnqueue(data.runId))) return { refused: true };
    if (data.runId && (await cancelledBeforeStart(data.runId))) return { cancelled: true };
    let ledger: RunLedger;
    if (data.runId) ledger = new RunLedger(store.runs, data.runId);
    else {
      // A scheduled crawl's run is the queue's (the sweep checks it has a job), and its job names it from here on: a
      // later attempt of this firing (after a failed attempt, or a worker killed) takes up this run, where it used to
      // create another and leave this one queued or running for ever.
      ledger = await RunLedger.create(store.runs, data.sourceId, 'schedule', { owner: queueOwner(prefix) });
      if (job.id) scheduledRuns.set(job.id, ledger.runId);
      await job.updateData({ ...data, runId: ledger.runId });
    }
    const runId = ledger.runId;
    const sourceId = data.sourceId;
    const all = await store.sources.list();
    const sources = sourceId
      ? all.filter((source) => source.id === sourceId)
      : all.filter((source) => source.enabled && source.kind === 'web');
    if (sourceId && sources.length === 0) {
      await ledger.finish('failed', `the source ${sourceId} no longer exists`);
      throw new UnrecoverableError(`source ${sourceId} no longer exists`);
    }
    log(`run ${runId}: crawling ${sources.map((source) => source.name).join(', ') || 'nothing'} (attempt ${job.attemptsMade + 1})`);
    let result: Awaited<ReturnType<typeof runCrawl>>;
    // Stops this attempt's pages still in flight when it fails (and everything on shutdown).
    const abandoned = new AbortController();
    const cancellation = watch(runId);
    try {
      result = await runCrawl(
        { store, embedder, passageContext, ...crawler },
        {
          sources,
          ledger,
          signal: AbortSignal.any([signal, abandoned.signal, cancellation.signal]),
          onProgress: (progress) =>
            void job.updateProgress({ done: progress.done, discovered: progress.discovered }).catch(() => undefined),
        },
      );
    } catch (error) {
      if (cancellation.signal.aborted) {
        log(`run ${runId}: cancelled`);
        return { cancelled: true };
      }
      // Pages of this attempt that finish late are stored, but stay out of the run's record:
      // the next attempt starts it afresh (see RunLedger.abandon).
      ledger.abandon();
      abandoned.abort();
      // The attempt failed (Redis or the database went away mid-crawl, say) but BullMQ will
      // try again: the run waits for that attempt, rather than showing a failure it will undo.
      if (hasAttemptsLeft(job)) await ledger.requeue().catch(() => undefined);
      throw error;
    } finally {
      cancellation.stop();
    }
    if (cancellation.signal.aborted || (await store.runs.cancelRequested(runId))) {
      // An admin cancelled the run: it is recorded as cancelled, and the job ends here.
      log(`run ${runId}: cancelled after ${JSON.stringify(result.counts)}`);
      return { cancelled: true };
    }
    if (signal.aborted) {
      // Interrupted by shutdown, not finished: the run waits in the queue for the next worker.
      await ledger.requeue();
      throw new CairnError('job_interrupted', `run ${runId} interrupted by shutdown; it will resume`);
    }
    log(`run ${runId}: ${JSON.stringify(result.counts)}`);
    return result.counts;
  };

  /** One page into a run of its own; permanent failures end the job at once. */
  const fetchPage: Handler<'fetch-page'> = async (job, signal) => {
    const { runId, sourceId, url } = job.data;
    if (await refusedAtEnqueue(runId)) return { refused: true };
    if (await cancelledBeforeStart(runId)) return { cancelled: true };
    const source = await store.sources.findById(sourceId);
    const cancellation = watch(runId);
    let result: Awaited<ReturnType<typeof runPage>>;
    try {
      result = await runPage(
        { store, embedder, passageContext, ...crawler },
        { runId, source, url, signal: AbortSignal.any([signal, cancellation.signal]), final: !hasAttemptsLeft(job) },
      );
    } finally {
      cancellation.stop();
    }
    if (cancellation.signal.aborted || (await store.runs.cancelRequested(runId))) {
      log(`run ${runId}: ${url} cancelled`);
      return { cancelled: true };
    }
    if (result.status === 'succeeded') {
      log(`run ${runId}: ${url} ${result.item.outcome}`);
      return result.item;
    }
    if (result.status === 'failed' && result.permanent) throw new UnrecoverableError(result.reason);
    throw new CairnError('page_failed', result.status === 'retry' ? `${result.reason}; it will be tried again` : result.reason);
  };

  /** Builds a model's vectors from the stored passages; search switches when they are complete. */
  const reembed: Handler<'reembed'> = async (job, signal) => {
    const { model } = job.data;
    let target: Embedder;
    if (model === embedder.model) target = embedder;
    else if (dependencies.embedderFor)
      target = await dependencies
        .embedderFor(model)
        .catch((error: Error) => Promise.reject(new UnrecoverableError(`cannot embed with ${model}: ${error.message}`)));
    else throw new UnrecoverableError(`this worker embeds with ${embedder.model}, not ${model}`);
    const result = await reembedChunks(store, target, {
      signal,
      onProgress: (progress) => void job.updateProgress({ embedded: progress.embedded }).catch(() => undefined),
    });
    if (signal.aborted) throw new CairnError('job_interrupted', `re-embedding with ${model} interrupted by shutdown; it will resume`);
    log(`re-embedded ${result.embedded} passages with ${model}${result.activated ? '; search reads it now' : ''}`);
    return result;
  };

  const handlers: { [Name in IngestJobName]: Handler<Name> } = {
    'crawl-run': crawl,
    'scheduled-crawl': crawl,
    'fetch-page': fetchPage,
    reembed,
  };

  const worker = new Worker(
    ingestQueueName,
    async (job: Job) => {
      const handler = handlers[job.name as IngestJobName] as Handler<IngestJobName> | undefined;
      if (!handler) throw new UnrecoverableError(`unknown job ${job.name}`);
      return handler(job as Job<IngestJobs[IngestJobName]>, shutdown.signal);
    },
    {
      connection: redisConnection(options.redisUrl),
      prefix,
      concurrency: options.concurrency ?? 2,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: Math.max(1000, Math.floor((options.lockDurationMs ?? 30_000) / 2)),
      maxStalledCount: 5,
    },
  );
  worker.on('failed', (job, error) => {
    // Here the attempt that failed is counted already.
    const again = job && error.name !== 'UnrecoverableError' && job.attemptsMade < (job.opts.attempts ?? 1);
    // A page job's own message may say it already ("…; it will be tried again").
    const retried = again && !/it will be tried again$/.test(error.message) ? '; it will be tried again' : '';
    log(`job ${job?.name ?? '?'} ${job?.id ?? '?'} failed: ${error.message}${retried}`);
    if (!job || again || (error instanceof CairnError && error.code === 'job_interrupted')) return;
    // The last attempt: its run ends failed, whether or not the attempt could say so (a run that ended keeps how).
    const data = job.data as { runId?: string };
    const runId = data.runId ?? (job.id ? scheduledRuns.get(job.id) : undefined);
    if (job.id) scheduledRuns.delete(job.id);
    if (!runId) return;
    unended.set(runId, runFailureText(error));
    void endUnended();
  });
  worker.on('completed', (job) => {
    if (job.id) scheduledRuns.delete(job.id);
  });

  /**
   * Queued or running runs of the queue whose job is gone (Redis restarted without its data,
   * or the job was removed) or ended without ending its run: nothing else would ever end them.
   * A run younger than lostJobAfterMs may still be on its way into the queue, and is left alone.
   * A scheduled crawl's run has a job of the schedule's id, which names the run in its data.
   */
  const queue = new Queue(ingestQueueName, { connection: redisConnection(options.redisUrl), prefix });
  queue.on('error', () => undefined);
  const sweepLostJobs = async () => {
    const runs = await store.runs.unfinishedInQueue(prefix, options.lostJobAfterMs ?? 120_000);
    let scheduledJobs: Promise<Map<string, Job>> | undefined;
    for (const run of runs) {
      let job: Job | undefined;
      if (run.trigger === 'schedule') {
        scheduledJobs ??= scheduledCrawlJobs(queue);
        job = (await scheduledJobs).get(run.id);
      } else job = await queue.getJob(run.id);
      const state = job ? await job.getState() : 'missing';
      if (!['missing', 'failed', 'completed', 'unknown'].includes(state)) continue;
      const message =
        state === 'missing'
          ? 'its job is gone from the queue (Redis restarted without its data, or the job was removed); start the run again'
          : `its job ${state} without ending the run; start the run again`;
      if (await store.runs.failUnfinished(run.id, message)) log(`run ${run.id}: recorded as failed (${message})`);
    }
  };
  // One sweep at a time: a sweep asked for while one runs waits for that one.
  let sweeping: Promise<void> | undefined;
  const sweep = (): Promise<void> =>
    (sweeping ??= (async () => {
      try {
        await endUnended();
        await sweepLostJobs();
      } catch {
        // The database or Redis is away: the next sweep tries again.
      } finally {
        sweeping = undefined;
      }
    })());
  const sweepTimer = setInterval(() => void sweep(), options.sweepIntervalMs ?? 60_000);
  sweepTimer.unref();
  void sweep();
  // While Redis is away every reconnection attempt (each second) fails: one line per 10 s.
  let lastErrorLogged = 0;
  let unlogged = 0;
  worker.on('error', (error) => {
    if (Date.now() - lastErrorLogged < 10_000) {
      unlogged += 1;
      return;
    }
    log(`worker error: ${error.message}${unlogged > 0 ? ` (${unlogged} more errors since the last one logged)` : ''}`);
    lastErrorLogged = Date.now();
    unlogged = 0;
  });

  return {
    worker,
    /** Stops taking jobs, interrupts the job in progress and waits for it to hand back. */
    async close(): Promise<void> {
      shutdown.abort();
      clearInterval(sweepTimer);
      await worker.close();
      await endUnended();
      await queue.close().catch(() => undefined);
    },
    /** Looks for runs that cannot end by themselves now, rather than at the next sweep (tests). */
    sweep,
  };
}
