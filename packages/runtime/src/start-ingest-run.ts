import { CairnError } from '@cairn/core';
import { normalizeUrl, sourceScope, type RunRequest } from '@cairn/ingest';
import type { RunTrigger, Store } from '@cairn/store';

export interface StartIngestRunDependencies {
  store: Pick<Store, 'sources' | 'runs'>;
  /** Where runs go (a Runtime's runner: the BullMQ queue, or this process). */
  runner: { enqueue(request: RunRequest): Promise<string> };
  /** INGEST_MAX_QUEUED_RUNS: more waiting runs are refused (`ingest_queue_full`). */
  maxQueuedRuns: number;
}

export interface StartIngestRunRequest {
  /** One source; absent: every enabled web source. */
  sourceId?: string | undefined;
  /** Just this page of the source (`sourceId` is then required), instead of a crawl. */
  url?: string | undefined;
  trigger: RunTrigger;
}

function normalizedPage(url: string): string {
  try {
    return normalizeUrl(url);
  } catch {
    throw new CairnError('invalid_request', `url: ${JSON.stringify(url)} is not an http(s) URL.`);
  }
}

/**
 * Queues an ingestion run as `POST /v1/ingest/runs` and the MCP server's `start_ingest_run`
 * do, with the same checks: the source exists (`source_not_found`) and is a web source, a
 * page belongs to it (`invalid_request`), and the queue has room (`ingest_queue_full`). Resolves
 * with the run's id; the run itself goes on in the background.
 */
export async function startIngestRun(dependencies: StartIngestRunDependencies, request: StartIngestRunRequest): Promise<string> {
  const { store, runner, maxQueuedRuns } = dependencies;
  const { sourceId, url, trigger } = request;
  if (url !== undefined && sourceId === undefined)
    throw new CairnError('invalid_request', 'A run of one page needs the sourceId of the source it belongs to.');
  const source = sourceId === undefined ? undefined : await store.sources.findById(sourceId);
  if (sourceId !== undefined && !source) throw new CairnError('source_not_found', `No source has the id ${JSON.stringify(sourceId)}.`);
  // A directory of notes is read from disk (`cairn ingest --dir`, the starter corpus at start), not crawled.
  if (source && source.kind !== 'web')
    throw new CairnError(
      'invalid_request',
      `The source ${source.name} is a ${source.kind} source; only web sources are crawled (a directory is ingested with \`cairn ingest --dir\`).`,
    );
  if (url !== undefined && source) {
    if (!sourceScope(source)(normalizedPage(url)))
      throw new CairnError('invalid_request', `${url} is not within the source ${source.name} (${source.baseUrl}).`);
  }
  const queued = await store.runs.countQueued();
  if (queued >= maxQueuedRuns) {
    throw new CairnError(
      'ingest_queue_full',
      `${queued} ingestion runs are waiting already (INGEST_MAX_QUEUED_RUNS=${maxQueuedRuns}); retry when some have started.`,
    );
  }
  // Counted again as the run is recorded, under a lock: requests at once all pass the count above (probe 33 M2).
  return runner.enqueue({ sourceId, url, trigger, maxQueued: maxQueuedRuns });
}
