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
  /** A source's repeatable schedule fired: create a run and crawl the source. */
  'scheduled-crawl': { sourceId: string };
}

export type IngestJobName = keyof IngestJobs;

export const ingestJobOptions: Record<IngestJobName, JobsOptions> = {
  'crawl-run': { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, removeOnComplete: 1000, removeOnFail: 5000 },
  'scheduled-crawl': { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: 1000, removeOnFail: 5000 },
};

/** BullMQ connection options from a redis:// URL (workers need maxRetriesPerRequest null). */
export function redisConnection(redisUrl: string): { url: string; maxRetriesPerRequest: null; enableOfflineQueue: boolean } {
  return { url: redisUrl, maxRetriesPerRequest: null, enableOfflineQueue: true };
}
