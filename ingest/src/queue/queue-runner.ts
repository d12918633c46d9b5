import { Queue } from 'bullmq';
import { CairnError } from '@cairn/core';
import { queueOwner, type Store } from '@cairn/store';
import type { RunRequest } from '../runs/in-process-runner.js';
import { ingestJobOptions, ingestQueueName, jobIdFor, redisConnection, type IngestJobName, type IngestJobs } from './job-catalog.js';

/** How a run that never reached the queue is recorded (the worker skips a job for such a run). */
export const notQueuedPrefix = 'could not queue the run';

/** How long a request waits for Redis before its run is refused (rides out a reconnection blip). */
const enqueueWaitMs = 3000;

class QueueTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueTimeout(`Redis did not answer within ${milliseconds} ms`)), milliseconds);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Errors that mean Redis cannot be reached now (as opposed to a bad command). */
function isUnreachable(error: unknown): boolean {
  if (error instanceof QueueTimeout) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /Stream isn't writeable|enableOfflineQueue|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|Reached the max retries/i.test(
    message,
  );
}

/**
 * Sends ingestion runs to the BullMQ queue (when REDIS_URL is set): the run is recorded
 * as queued, then a `cairn worker` process crawls it. The job id is the run id, so a
 * duplicate request for the same run is a no-op. While Redis is down a run is refused
 * within seconds (503 `not_ready`, and the run recorded as failed), never left waiting.
 */
/** How often `cairn worker` makes the queue's schedules match the sources (syncSchedules). */
export const SCHEDULE_SYNC_MS = 60_000;

export class QueueRunner {
  private readonly queue: Queue;
  /** The queue's key prefix (CAIRN_QUEUE_PREFIX): the runs it is handed are marked with it (queueOwner). */
  private readonly prefix: string;

  constructor(
    private readonly store: Store,
    options: { redisUrl: string; prefix?: string },
  ) {
    this.prefix = options.prefix ?? 'cairn';
    this.queue = new Queue(ingestQueueName, {
      connection: redisConnection(options.redisUrl, { failFast: true }),
      prefix: this.prefix,
    });
    // Connection errors while Redis is away surface where the queue is used (a refused run,
    // /readyz): without a listener BullMQ prints each reconnection attempt's error.
    this.queue.on('error', () => undefined);
  }

  async enqueue(request: RunRequest): Promise<string> {
    const run = await this.store.runs.create(request.sourceId ?? null, request.trigger, {
      owner: queueOwner(this.prefix),
      pageUrl: request.url,
      maxQueued: request.maxQueued,
    });
    try {
      const deadline = Date.now() + enqueueWaitMs;
      for (;;) {
        try {
          const added =
            request.url && request.sourceId
              ? this.add('fetch-page', { runId: run.id, sourceId: request.sourceId, url: request.url }, run.id)
              : this.add('crawl-run', { runId: run.id, sourceId: request.sourceId ?? null }, run.id);
          await withTimeout(added, Math.max(deadline - Date.now(), 100));
          break;
        } catch (error) {
          if (!isUnreachable(error) || Date.now() >= deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.store.runs.finish(run.id, 'failed', `${notQueuedPrefix}: ${reason}`);
      if (isUnreachable(error)) {
        throw new CairnError(
          'not_ready',
          'The ingestion queue (Redis) cannot be reached, so the run was not started; retry in a few seconds.',
          {
            cause: error,
            details: { runId: run.id },
          },
        );
      }
      throw error;
    }
    return run.id;
  }

  /**
   * Takes the job of a run an admin cancelled (its record says so already, see
   * RunsRepository.cancel) out of the queue while it waits; a worker that runs it stops at
   * its next check, and one that takes it up later skips it. Resolves true when the job
   * was removed. Best effort: when Redis does not answer within 2 s the job stays, and the
   * worker skips it.
   */
  async cancel(runId: string): Promise<boolean> {
    try {
      const job = await withTimeout(this.queue.getJob(runId), 2000);
      if (!job) return false;
      const state = await withTimeout(job.getState(), 2000);
      if (!['waiting', 'delayed', 'prioritized', 'waiting-children'].includes(state)) return false;
      await withTimeout(job.remove(), 2000);
      return true;
    } catch {
      // Taken by a worker meanwhile (a locked job cannot be removed), or Redis is away.
      return false;
    }
  }

  /**
   * Asks the workers to build `model`'s vectors from the stored passages. One job per
   * model at a time: asking again while it waits or runs changes nothing.
   */
  async enqueueReembed(model: string): Promise<void> {
    await this.add('reembed', { model }, jobIdFor('reembed', model));
  }

  private add<Name extends IngestJobName>(name: Name, data: IngestJobs[Name], jobId?: string) {
    return this.queue.add(name, data, { ...ingestJobOptions[name], ...(jobId ? { jobId } : {}) });
  }

  /**
   * Makes the queue's repeatable schedules match the sources: one scheduler per enabled
   * web source with a schedule (cron), none for the others or for sources that are gone.
   * `cairn worker` calls it at start and then every SCHEDULE_SYNC_MS, so a schedule set,
   * changed or cleared through the API or the admin UI reaches the queue within a minute.
   */
  async syncSchedules(): Promise<number> {
    const sources = await this.store.sources.list();
    let scheduled = 0;
    const kept = new Set<string>();
    for (const source of sources) {
      const id = `source:${source.id}`;
      if (source.kind === 'web' && source.enabled && source.schedule) {
        kept.add(id);
        await this.queue.upsertJobScheduler(
          id,
          { pattern: source.schedule, tz: 'UTC' },
          { name: 'scheduled-crawl', data: { sourceId: source.id }, opts: ingestJobOptions['scheduled-crawl'] },
        );
        scheduled += 1;
      } else {
        await this.queue.removeJobScheduler(id);
      }
    }
    // A deleted source's schedule: it fired for ever, each job failing on the missing source.
    for (const scheduler of await this.queue.getJobSchedulers(0, -1)) {
      if (scheduler.key.startsWith('source:') && !kept.has(scheduler.key)) await this.queue.removeJobScheduler(scheduler.key);
    }
    return scheduled;
  }

  /** Whether the queue answers within two seconds (for /readyz). */
  async isReady(): Promise<boolean> {
    return withTimeout(this.queue.getJobCounts('wait'), 2000).then(
      () => true,
      () => false,
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
