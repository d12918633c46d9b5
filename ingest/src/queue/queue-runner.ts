import { Queue } from 'bullmq';
import type { Store } from '@cairn/store';
import type { RunRequest } from '../runs/in-process-runner.js';
import { ingestJobOptions, ingestQueueName, jobIdFor, redisConnection, type IngestJobName, type IngestJobs } from './job-catalog.js';

/**
 * Sends ingestion runs to the BullMQ queue (when REDIS_URL is set): the run is recorded
 * as queued, then a `cairn worker` process crawls it. The job id is the run id, so a
 * duplicate request for the same run is a no-op.
 */
export class QueueRunner {
  private readonly queue: Queue;

  constructor(
    private readonly store: Store,
    options: { redisUrl: string; prefix?: string },
  ) {
    this.queue = new Queue(ingestQueueName, { connection: redisConnection(options.redisUrl), prefix: options.prefix ?? 'cairn' });
  }

  async enqueue(request: RunRequest): Promise<string> {
    const run = await this.store.runs.create(request.sourceId ?? null, request.trigger);
    try {
      if (request.url && request.sourceId) await this.add('fetch-page', { runId: run.id, sourceId: request.sourceId, url: request.url }, run.id);
      else await this.add('crawl-run', { runId: run.id, sourceId: request.sourceId ?? null }, run.id);
    } catch (error) {
      await this.store.runs.finish(run.id, 'failed', `could not queue the run: ${(error as Error).message}`);
      throw error;
    }
    return run.id;
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
   * web source with a schedule (cron), none for the others.
   */
  async syncSchedules(): Promise<number> {
    const sources = await this.store.sources.list();
    let scheduled = 0;
    for (const source of sources) {
      const id = `source:${source.id}`;
      if (source.kind === 'web' && source.enabled && source.schedule) {
        await this.queue.upsertJobScheduler(id, { pattern: source.schedule, tz: 'UTC' }, { name: 'scheduled-crawl', data: { sourceId: source.id }, opts: ingestJobOptions['scheduled-crawl'] });
        scheduled += 1;
      } else {
        await this.queue.removeJobScheduler(id);
      }
    }
    return scheduled;
  }

  /** Whether the queue answers within two seconds (for /readyz). */
  async isReady(): Promise<boolean> {
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 2000).unref());
    return Promise.race([this.queue.getJobCounts('wait').then(() => true, () => false), timeout]);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
