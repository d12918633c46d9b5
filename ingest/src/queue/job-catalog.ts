import type { JobsOptions } from 'bullmq';

/** The queue every ingestion job goes through. */
export const ingestQueueName = 'ingest';

/**
 * The typed job catalog: each job name, its payload (ids only, never page bodies, so a
 * re-run is idempotent) and its retry policy.
 */
export interface IngestJobs {
  /** Crawl one source, or every enabled web source, into a run created by the API or the CLI. */
  'crawl-run': { runId: string; sourceId: string | null };
  /**
   * A source's repeatable schedule fired: create a run and crawl the source. The first attempt
   * writes the run it created into the job (`runId`), so that a later attempt takes up that run
   * rather than leaving it queued for ever beside a new one.
   */
  'scheduled-crawl': { sourceId: string; runId?: string };
  /**
   * Fetch and ingest one page of a source into a run of its own (a page added or changed
   * out of a crawl's turn). A 404, a robots.txt refusal or a page that is not an article
   * fails at once; a timeout, a network error or a 5xx is retried with backoff.
   */
  'fetch-page': { runId: string; sourceId: string; url: string };
  /**
   * Build `model`'s vectors for every stored passage (EMBEDDING_MODEL changed); search
   * switches to it when they are complete. One job per model: its id is the model's.
   */
  reembed: { model: string };
}

export type IngestJobName = keyof IngestJobs;

export const ingestJobOptions: Record<IngestJobName, JobsOptions> = {
  'crawl-run': { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  'scheduled-crawl': { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  'fetch-page': { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  // Removed when done, so that a later change back to the same model can queue it again.
  reembed: { attempts: 10, backoff: { type: 'exponential', delay: 10_000 }, removeOnComplete: true, removeOnFail: true },
};

/** A BullMQ job id from any text (ids may not hold ":"; the model ids do). */
export function jobIdFor(name: IngestJobName, key: string): string {
  return `${name}-${key.replace(/[^A-Za-z0-9._@-]/g, '_')}`;
}

/**
 * How soon to try Redis again after the connection is lost: quickly at first, then once a
 * second, so that the queue works again within a second of Redis's return (ioredis's
 * default, as BullMQ sets it, backs off exponentially to 20 s between attempts).
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * attempt, 1000);
}

/**
 * BullMQ connection options from a redis:// URL. Workers need maxRetriesPerRequest null
 * and keep commands while disconnected; a producer (the API) passes `failFast`, so that a
 * command made while Redis is down fails at once rather than waiting for its return.
 */
export function redisConnection(
  redisUrl: string,
  options: { failFast?: boolean } = {},
): { url: string; maxRetriesPerRequest: null; enableOfflineQueue: boolean; retryStrategy: (attempt: number) => number } {
  return { url: redisUrl, maxRetriesPerRequest: null, enableOfflineQueue: !options.failFast, retryStrategy: reconnectDelay };
}
