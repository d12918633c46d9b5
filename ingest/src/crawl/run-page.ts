import type { RunItemInput, SourceRecord } from '@cairn/store';
import { normalizeUrl } from '../extract/normalize-url.js';
import { prepareEmbeddingModel } from '../pipeline/ingest-document.js';
import { RunLedger } from '../runs/run-ledger.js';
import { crawlPage, type CrawlDependencies } from './crawl-page.js';
import { sourceScope } from './crawl-source.js';
import { mirrorMapping } from './mirror-mapping.js';
import { SourcePatternError } from './source-patterns.js';

export type PageRunResult =
  | { status: 'succeeded'; item: RunItemInput }
  /** `permanent`: trying again will fail the same way. */
  | { status: 'failed'; permanent: boolean; reason: string }
  /** A transient failure with attempts left, or a shutdown: the run is queued again. */
  | { status: 'retry'; reason: string };

export interface RunPageOptions {
  runId: string;
  source: SourceRecord | undefined;
  url: string;
  /** The last attempt: a failure ends the run, where an earlier attempt's puts it back to queued. */
  final: boolean;
  signal?: AbortSignal | undefined;
}

/**
 * Ingests one page of a web source as a run of its own (`cairn ingest --url` of a page the
 * crawl has not reached, POST /v1/ingest/runs with a url, the queue's fetch-page job): the
 * run's ledger holds the page's one entry and the run ends succeeded or failed. With
 * `final` false, a transient failure puts the run back to queued for another attempt.
 *
 * The run never stays running: whatever the crawl of the page throws (the database or the
 * embedder gone, a bug), the run ends failed with the error (or, before the last attempt
 * or on shutdown, goes back to queued) and the result says so. It throws only when the
 * run's record cannot be written either.
 */
export async function runPage(dependencies: CrawlDependencies, options: RunPageOptions): Promise<PageRunResult> {
  const ledger = new RunLedger(dependencies.store.runs, options.runId);
  try {
    return await ingestPage(dependencies, options, ledger);
  } catch (error) {
    const reason = `${options.url}: ${error instanceof Error ? error.message : String(error)}`;
    try {
      if (options.signal?.aborted || !options.final) {
        await ledger.requeue();
        return { status: 'retry', reason: options.signal?.aborted ? 'interrupted by shutdown' : reason };
      }
      await ledger.finish('failed', reason);
    } catch {
      // The record cannot be written (the database is gone): the caller's error handling is all that is left.
      throw error;
    }
    return { status: 'failed', permanent: false, reason };
  } finally {
    // The keyword index a run drops (PostingsIndexing) comes back however the run ends.
    await dependencies.store.documents.endRun().catch(() => undefined);
  }
}

async function ingestPage(dependencies: CrawlDependencies, options: RunPageOptions, ledger: RunLedger): Promise<PageRunResult> {
  const { store, embedder } = dependencies;
  const { source, url } = options;
  const fail = async (reason: string, permanent = true): Promise<PageRunResult> => {
    await ledger.finish('failed', reason);
    return { status: 'failed', permanent, reason };
  };
  if (!source) return fail('the source no longer exists');
  if (source.kind !== 'web') return fail(`the source ${source.name} is not a web source`);
  let page: { key: string; url: string };
  try {
    // The public URL or the mirror's, for a mirror: stored under the one, fetched at the other.
    const { toPublic, toMirror } = mirrorMapping(source);
    page = { key: normalizeUrl(toPublic(url)), url: toMirror(normalizeUrl(url, { trailingSlash: false })) };
  } catch {
    return fail(`not a URL: ${url}`);
  }
  let inScope: (url: string) => boolean;
  try {
    inScope = sourceScope(source);
  } catch (error) {
    if (error instanceof SourcePatternError) return fail(`the source ${source.name} cannot be crawled: ${error.message}`);
    throw error;
  }
  if (!inScope(page.key)) return fail(`${page.key} is outside the source ${source.name} (${source.publicBaseUrl ?? source.baseUrl})`);
  await prepareEmbeddingModel(store, embedder);
  // An admin cancelled the run while it waited: it is final already, nothing is fetched.
  if (!(await ledger.start())) return { status: 'failed', permanent: true, reason: 'the run was cancelled before it started' };
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
