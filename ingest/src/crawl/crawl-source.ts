import type { RunCounts, RunTrigger, SourceRecord, Store } from '@cairn/store';
import { prepareEmbeddingModel } from '../pipeline/ingest-document.js';
import { RunLedger } from '../runs/run-ledger.js';
import { CrawlFrontier, type FrontierPage } from './crawl-frontier.js';
import { crawlPage, fetchPolitely, refuseDisallowed, type CrawlDependencies, type PageOutcome } from './crawl-page.js';
import { parseDiscoveryDocument } from './discover-urls.js';
import { BatchedStates } from './document-states.js';
import { FetchError } from './fetch-page.js';
import { SourceTally, type CrawlProgress } from './source-tally.js';

export type { CrawlDependencies } from './crawl-page.js';
export type { CrawlProgress } from './source-tally.js';

export interface CrawlOptions {
  /** The run this crawl reports to: its ledger entries and counts are written through it. */
  ledger: RunLedger;
  onProgress?: (progress: CrawlProgress) => void;
  signal?: AbortSignal;
}

export interface CrawlResult {
  counts: RunCounts;
  /** False when a page limit, a cancellation or a transient failure cut the crawl short. */
  complete: boolean;
}

/** Pages being fetched, extracted, embedded or stored at once within one crawl. */
const pagesInFlight = 4;

const discoveryTypes = ['application/xml', 'text/xml', 'application/rss+xml', 'application/atom+xml', 'text/html', 'application/xhtml+xml'];

function compile(patterns: readonly string[]): RegExp[] {
  return patterns.map((pattern) => new RegExp(pattern));
}

/**
 * Whether a normalised URL belongs to a web source: the same host (with or without
 * `www.`), under the base path, matching an include pattern (if any) and no exclude pattern.
 */
export function sourceScope(source: SourceRecord): (url: string) => boolean {
  const base = new URL(source.baseUrl);
  const include = compile(source.include);
  const exclude = compile(source.exclude);
  return (url) => {
    const parsed = new URL(url);
    if (parsed.hostname.replace(/^www\./, '') !== base.hostname.replace(/^www\./, '')) return false;
    if (!parsed.pathname.startsWith(base.pathname)) return false;
    if (include.length > 0 && !include.some((pattern) => pattern.test(url))) return false;
    return !exclude.some((pattern) => pattern.test(url));
  };
}

/**
 * Fills the frontier from the sitemaps robots.txt names, then the seeds (or the site's
 * usual places): sitemap indexes, sitemaps, RSS/Atom feeds and start pages. A discovery
 * document that cannot be fetched gets a ledger entry, and discovery goes on.
 */
async function discoverFrontier(
  dependencies: CrawlDependencies,
  source: SourceRecord,
  frontier: CrawlFrontier,
  tally: SourceTally,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { robots } = dependencies;
  const base = new URL(source.baseUrl);
  const seeds = source.seeds.length > 0 ? source.seeds : [new URL('sitemap.xml', base).toString(), base.toString()];
  const discovery = [...(await robots.rulesFor(base.toString())).sitemaps, ...seeds];
  const visited = new Set<string>();
  while (discovery.length > 0 && !signal?.aborted) {
    const url = discovery.shift()!;
    if (visited.has(url) || visited.size > 50) continue;
    visited.add(url);
    try {
      await refuseDisallowed(robots, url);
      const result = await fetchPolitely(dependencies, source, { url, allowedTypes: discoveryTypes, signal });
      if (result.kind !== 'ok') {
        if (result.kind === 'http_error') {
          await tally.record({
            url,
            httpStatus: result.status,
            outcome: 'failed',
            chunksAdded: 0,
            chunksRemoved: 0,
            embeddingTokens: 0,
            error: `discovery: HTTP ${result.status}`,
          });
        }
        continue;
      }
      const parsed = parseDiscoveryDocument(result.body, result.url);
      if (parsed?.kind === 'sitemap-index') discovery.push(...parsed.sitemaps.map((entry) => entry.url));
      else if (parsed) parsed.urls.forEach((entry) => frontier.add(entry.url));
      else frontier.add(result.url);
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      await tally.record({
        url,
        httpStatus: null,
        outcome: error.code === 'forbidden' ? 'skipped' : 'failed',
        chunksAdded: 0,
        chunksRemoved: 0,
        embeddingTokens: 0,
        error: `discovery: ${error.message}`,
      });
    }
  }
}

/** Crawls one page of the frontier, adds the links it gave to the frontier and records what became of it. */
async function crawlOne(
  dependencies: CrawlDependencies,
  source: SourceRecord,
  page: FrontierPage,
  context: { frontier: CrawlFrontier; tally: SourceTally; states: BatchedStates; signal: AbortSignal | undefined },
): Promise<PageOutcome> {
  const { frontier, tally } = context;
  const outcome = await crawlPage(dependencies, source, page, {
    inScope: frontier.inScope,
    signal: context.signal,
    states: context.states,
  });
  outcome.links.forEach((link) => frontier.add(link));
  if (outcome.seen) frontier.markSeen(outcome.seen);
  await tally.recordPage(outcome);
  return outcome;
}

/**
 * Crawls the frontier until it is empty, up to the source's page limit, with several pages
 * in flight: while one page's text is extracted, embedded and stored, the next is fetched.
 * Requests to one host still go one at a time, with the delay (HostScheduler), so
 * politeness does not depend on that number. Resolves with false when the page limit or a
 * transient failure cut the crawl short. On an error it waits for the pages in flight
 * (whose entries the ledger keeps) before it throws.
 */
async function crawlFrontier(
  dependencies: CrawlDependencies,
  source: SourceRecord,
  context: { frontier: CrawlFrontier; tally: SourceTally; states: BatchedStates; signal: AbortSignal | undefined },
): Promise<boolean> {
  const { frontier, signal } = context;
  const inFlight = new Set<Promise<void>>();
  let complete = true;
  let started = 0;
  try {
    for (;;) {
      while (frontier.hasWaiting && inFlight.size < pagesInFlight && !signal?.aborted) {
        if (started >= source.maxPages) {
          complete = false;
          frontier.clear();
          break;
        }
        const next = frontier.next()!;
        started += 1;
        const task = crawlOne(dependencies, source, next, context)
          .then((page) => {
            if (page.failure === 'transient') complete = false;
          })
          .finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
      if (inFlight.size === 0) return complete;
      await Promise.race(inFlight);
    }
  } catch (error) {
    await Promise.allSettled(inFlight);
    throw error;
  }
}

/** Tombstones the source's stored pages a complete crawl did not find, each with its ledger entry. */
async function tombstoneVanished(store: Store, source: SourceRecord, seen: readonly string[], tally: SourceTally): Promise<void> {
  for (const gone of await store.documents.tombstoneMissing(source.id, seen)) {
    await tally.record({
      url: gone.locator,
      httpStatus: null,
      outcome: 'tombstoned',
      chunksAdded: 0,
      chunksRemoved: gone.chunksRemoved,
      embeddingTokens: 0,
      error: 'missing from a complete crawl',
    });
  }
}

/**
 * Crawls one web source: discovery from robots.txt sitemaps and the seeds (sitemap
 * indexes, sitemaps, RSS/Atom feeds, start pages) and from in-scope links; robots.txt on
 * every URL and redirect hop; conditional GET with the stored validators; extraction,
 * chunking and embedding through the cache; 404 and 410 tombstone the page, and so does
 * absence from a complete crawl. Each URL gets a ledger entry; a failure is recorded and
 * the crawl goes on.
 */
export async function crawlSource(dependencies: CrawlDependencies, source: SourceRecord, options: CrawlOptions): Promise<CrawlResult> {
  const { signal } = options;
  const frontier = new CrawlFrontier(sourceScope(source));
  const states = await BatchedStates.load(dependencies.store, source.id);
  const tally = new SourceTally(options.ledger, { states, discovered: () => frontier.discovered, onProgress: options.onProgress });
  try {
    await discoverFrontier(dependencies, source, frontier, tally, signal);
    const complete = (await crawlFrontier(dependencies, source, { frontier, tally, states, signal })) && !signal?.aborted;
    // Only a complete crawl may conclude that a page has vanished.
    if (complete && tally.counts.failed === 0) await tombstoneVanished(dependencies.store, source, frontier.seen, tally);
    await tally.flush();
    return { counts: tally.counts, complete };
  } catch (error) {
    // The run fails, but its ledger keeps every page recorded, those that were in flight included.
    await tally.flush().catch(() => undefined);
    throw error;
  }
}

export interface RunCrawlOptions {
  sources: SourceRecord[];
  trigger?: RunTrigger;
  /** A run created beforehand (by the API, for a queued request); otherwise one is created. */
  runId?: string;
  /**
   * The ledger of a run created beforehand, when its caller keeps a hand on it (a queue
   * worker abandons the ledger of an attempt that failed); `runId` and `trigger` are then unused.
   */
  ledger?: RunLedger;
  onProgress?: (progress: CrawlProgress) => void;
  /** The pages are done, and this many new vectors are going into the HNSW index (deferred indexing). */
  onIndexing?: (vectors: number) => void;
  signal?: AbortSignal;
}

/**
 * Vectors kept out of the HNSW index during the run (PGlite) go into it once the pages are
 * done, before the run counts as done; after a shutdown they wait for the next run,
 * searchable meanwhile.
 */
async function indexRunVectors(store: Store, options: RunCrawlOptions): Promise<void> {
  if (options.signal?.aborted) return;
  const unindexed = [...(await store.embeddings.countUnindexed()).values()].reduce((sum, count) => sum + count, 0);
  if (unindexed === 0) return;
  options.onIndexing?.(unindexed);
  await store.embeddings.indexPending();
}

/**
 * One ingestion run over one or more web sources, in order: the run record goes from
 * running to succeeded, failed or cancelled, with the counts of all its sources.
 */
export async function runCrawl(
  dependencies: CrawlDependencies,
  options: RunCrawlOptions,
): Promise<{ runId: string; counts: RunCounts; complete: boolean }> {
  const { store, embedder } = dependencies;
  await prepareEmbeddingModel(store, embedder);
  const ledger =
    options.ledger ??
    (options.runId !== undefined
      ? new RunLedger(store.runs, options.runId)
      : await RunLedger.create(store.runs, options.sources.length === 1 ? options.sources[0]!.id : null, options.trigger ?? 'cli'));
  await ledger.start();
  const total: RunCounts = { discovered: 0, fetched: 0, unchanged: 0, skipped: 0, failed: 0, chunksAdded: 0, chunksRemoved: 0 };
  let complete = true;
  try {
    for (const source of options.sources) {
      if (options.signal?.aborted) break;
      const result = await crawlSource(dependencies, source, { ledger, onProgress: options.onProgress, signal: options.signal });
      for (const key of Object.keys(total) as (keyof RunCounts)[]) total[key] += result.counts[key];
      complete &&= result.complete;
    }
    await indexRunVectors(store, options);
    if (total.chunksAdded + total.chunksRemoved > 0) await store.documents.refreshStatistics();
    await ledger.finish(options.signal?.aborted ? 'cancelled' : 'succeeded');
    return { runId: ledger.runId, counts: total, complete };
  } catch (error) {
    await ledger.finish('failed', error instanceof Error ? error.message : String(error)).catch(() => undefined);
    throw error;
  }
}
