import type { RunItemInput, SourceRecord } from '@cairn/store';
import { normalizeUrl } from '../extract/normalize-url.js';
import { prepareEmbeddingModel } from '../pipeline/ingest-document.js';
import { RunLedger } from '../runs/run-ledger.js';
import { crawlPage, type CrawlDependencies } from './crawl-page.js';
import { sourceScope } from './crawl-source.js';

export type PageRunResult =
  | { status: 'succeeded'; item: RunItemInput }
  /** `permanent`: trying again will fail the same way. */
  | { status: 'failed'; permanent: boolean; reason: string }
  /** A transient failure with attempts left, or a shutdown: the run is queued again. */
  | { status: 'retry'; reason: string };

/**
 * Ingests one page of a web source as a run of its own (`cairn ingest --url` of a page the
 * crawl has not reached, POST /v1/ingest/runs with a url, the queue's fetch-page job): the
 * run's ledger holds the page's one entry and the run ends succeeded or failed. With
 * `final` false, a transient failure puts the run back to queued for another attempt.
 */
export async function runPage(
  dependencies: CrawlDependencies,
  options: { runId: string; source: SourceRecord | undefined; url: string; final: boolean; signal?: AbortSignal | undefined },
): Promise<PageRunResult> {
  const { store, embedder } = dependencies;
  const { source, url } = options;
  const ledger = new RunLedger(store.runs, options.runId);
  const fail = async (reason: string, permanent = true): Promise<PageRunResult> => {
    await ledger.finish('failed', reason);
    return { status: 'failed', permanent, reason };
  };
  if (!source) return fail('the source no longer exists');
  if (source.kind !== 'web') return fail(`the source ${source.name} is not a web source`);
  let page: { key: string; url: string };
  try {
    page = { key: normalizeUrl(url), url: normalizeUrl(url, { trailingSlash: false }) };
  } catch {
    return fail(`not a URL: ${url}`);
  }
  const inScope = sourceScope(source);
  if (!inScope(page.key)) return fail(`${page.key} is outside the source ${source.name} (${source.baseUrl})`);
  await prepareEmbeddingModel(store, embedder);
  await ledger.start();
  const result = await crawlPage(dependencies, source, page, { inScope, signal: options.signal });
  if (options.signal?.aborted || (result.failure === 'transient' && !options.final)) {
    await ledger.requeue();
    return { status: 'retry', reason: options.signal?.aborted ? 'interrupted by shutdown' : `${url}: ${result.item.error}` };
  }
  const { item } = result;
  await ledger.addItems([item]);
  await ledger.addCounts({
    discovered: 1,
    fetched: result.fetched ? 1 : 0,
    unchanged: result.unchanged ? 1 : 0,
    skipped: item.outcome === 'skipped' ? 1 : 0,
    failed: item.outcome === 'failed' ? 1 : 0,
    chunksAdded: item.chunksAdded,
    chunksRemoved: item.chunksRemoved,
  });
  await store.embeddings.indexPending();
  if (item.chunksAdded + item.chunksRemoved > 0) await store.documents.refreshStatistics();
  if (result.failure) return fail(`${url}: ${item.error}`, result.failure === 'permanent');
  await ledger.finish('succeeded');
  return { status: 'succeeded', item };
}
