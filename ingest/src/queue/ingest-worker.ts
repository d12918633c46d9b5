import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Embedder } from '@cairn/embed';
import type { Store } from '@cairn/store';
import { runCrawl } from '../crawl/crawl-source.js';
import type { Crawler } from '../crawl/create-crawler.js';
import { ingestQueueName, redisConnection, type IngestJobs } from './job-catalog.js';

export interface IngestWorkerOptions {
  redisUrl: string;
  prefix?: string;
  /** Jobs processed at once (default 2; politeness per host still holds across them). */
  concurrency?: number;
  /** How long a job's lock lasts without renewal: a killed worker's job is recovered after it. */
  lockDurationMs?: number;
  log?: (line: string) => void;
}

/**
 * A BullMQ worker for the ingestion queue. A crash (even kill -9) leaves the job's lock
 * to expire, and another worker takes the job up again: pages already stored are found
 * unchanged, so nothing is lost or stored twice. On close (SIGTERM) the crawl in progress
 * stops at the next page and its job goes back to the queue for a later attempt.
 */
export function startIngestWorker(dependencies: { store: Store; embedder: Embedder; crawler: Crawler }, options: IngestWorkerOptions) {
  const { store, embedder, crawler } = dependencies;
  const log = options.log ?? (() => undefined);
  const shutdown = new AbortController();

  const process = async (job: Job) => {
    const data = job.data as IngestJobs[keyof IngestJobs];
    const runId = job.name === 'crawl-run' ? (data as IngestJobs['crawl-run']).runId : (await store.runs.create(data.sourceId, 'schedule')).id;
    const sourceId = data.sourceId;
    const all = await store.sources.list();
    const sources = sourceId ? all.filter((source) => source.id === sourceId) : all.filter((source) => source.enabled && source.kind === 'web');
    if (sourceId && sources.length === 0) {
      await store.runs.finish(runId, 'failed', `the source ${sourceId} no longer exists`);
      throw new UnrecoverableError(`source ${sourceId} no longer exists`);
    }
    log(`run ${runId}: crawling ${sources.map((source) => source.name).join(', ') || 'nothing'} (attempt ${job.attemptsMade + 1})`);
    const result = await runCrawl({ store, embedder, ...crawler }, {
      sources,
      runId,
      signal: shutdown.signal,
      onProgress: (progress) => void job.updateProgress({ done: progress.done, discovered: progress.discovered }).catch(() => undefined),
    });
    if (shutdown.signal.aborted) {
      // Interrupted by shutdown, not finished: the run waits in the queue for the next worker.
      await store.runs.requeue(runId);
      throw new Error(`run ${runId} interrupted by shutdown; it will resume`);
    }
    log(`run ${runId}: ${JSON.stringify(result.counts)}`);
    return result.counts;
  };

  const worker = new Worker(ingestQueueName, process, {
    connection: redisConnection(options.redisUrl),
    prefix: options.prefix ?? 'cairn',
    concurrency: options.concurrency ?? 2,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: Math.max(1000, Math.floor((options.lockDurationMs ?? 30_000) / 2)),
    maxStalledCount: 5,
  });
  worker.on('failed', (job, error) => log(`job ${job?.id ?? '?'} failed: ${error.message}`));
  worker.on('error', (error) => log(`worker error: ${error.message}`));

  return {
    worker,
    /** Stops taking jobs, interrupts the crawl in progress and waits for it to hand back. */
    async close(): Promise<void> {
      shutdown.abort();
      await worker.close();
    },
  };
}
