import type { Embedder } from '@cairn/embed';
import type { RunTrigger, Store } from '@cairn/store';
import { runCrawl, type CrawlProgress } from '../crawl/crawl-source.js';
import type { Crawler } from '../crawl/create-crawler.js';
import { runPage } from '../crawl/run-page.js';

export interface RunRequest {
  /** One source, or every enabled web source when absent. */
  sourceId?: string | undefined;
  /** Just this page of the source (which is then required), not a crawl. */
  url?: string | undefined;
  trigger: RunTrigger;
}

/**
 * Runs ingestion in the API's own process when no queue is configured: a run is recorded
 * as queued at once, then crawled in the background, one run at a time, with the same
 * pipeline and records as the queue's workers.
 */
export class InProcessRunner {
  private tail: Promise<void> = Promise.resolve();
  private readonly controller = new AbortController();

  constructor(
    private readonly dependencies: { store: Store; embedder: Embedder; crawler: Crawler },
    private readonly options: { onProgress?: (progress: CrawlProgress) => void; onError?: (error: unknown, runId: string) => void } = {},
  ) {}

  /** Records a queued run and schedules it; resolves with its id before the crawl starts. */
  async enqueue(request: RunRequest): Promise<string> {
    const { store } = this.dependencies;
    const run = await store.runs.create(request.sourceId ?? null, request.trigger);
    this.tail = this.tail.then(() => this.execute(run.id, request));
    return run.id;
  }

  private async execute(runId: string, request: RunRequest): Promise<void> {
    const { store, embedder, crawler } = this.dependencies;
    try {
      if (request.url && request.sourceId) {
        const source = await store.sources.findById(request.sourceId);
        await runPage({ store, embedder, ...crawler }, { runId, source, url: request.url, final: true, signal: this.controller.signal });
        return;
      }
      const all = await store.sources.list();
      const sources = request.sourceId
        ? all.filter((source) => source.id === request.sourceId)
        : all.filter((source) => source.enabled && source.kind === 'web');
      await runCrawl(
        { store, embedder, ...crawler },
        { sources, runId, trigger: request.trigger, onProgress: this.options.onProgress, signal: this.controller.signal },
      );
    } catch (error) {
      // runCrawl has marked the run failed; a failure of one run must not stop the next.
      this.options.onError?.(error, runId);
    }
  }

  /** Resolves when every run enqueued so far has finished. */
  idle(): Promise<void> {
    return this.tail;
  }

  /** Cancels the run in progress (it is recorded as cancelled) and waits for it to stop. */
  async close(): Promise<void> {
    this.controller.abort();
    await this.tail;
  }
}
