import type { RunCounts, RunItemInput, RunTrigger, SourceRecord } from '@cairn/store';
import { normalizeUrl } from '../extract/normalize-url.js';
import { prepareEmbeddingModel } from '../pipeline/ingest-document.js';
import { crawlPage, fetchPolitely, refuseDisallowed, type CrawlDependencies } from './crawl-page.js';
import { parseDiscoveryDocument } from './discover-urls.js';
import { BatchedStates } from './document-states.js';
import { FetchError } from './fetch-page.js';

export type { CrawlDependencies } from './crawl-page.js';

export interface CrawlProgress {
  runId: string;
  url: string;
  outcome: RunItemInput['outcome'];
  done: number;
  discovered: number;
}

export interface CrawlOptions {
  /** The run this crawl reports to (its ledger and counts). */
  runId: string;
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
 * Crawls one web source: discovery from robots.txt sitemaps and the seeds (sitemap
 * indexes, sitemaps, RSS/Atom feeds, start pages) and from in-scope links; robots.txt on
 * every URL and redirect hop; conditional GET with the stored validators; extraction,
 * chunking and embedding through the cache; 404 and 410 tombstone the page, and so does
 * absence from a complete crawl. Each URL gets a ledger entry; a failure is recorded and
 * the crawl goes on.
 */
export async function crawlSource(dependencies: CrawlDependencies, source: SourceRecord, options: CrawlOptions): Promise<CrawlResult> {
  const { store, robots } = dependencies;
  const { runId } = options;
  const counts: RunCounts = { discovered: 0, fetched: 0, unchanged: 0, skipped: 0, failed: 0, chunksAdded: 0, chunksRemoved: 0 };
  const base = new URL(source.baseUrl);
  const inScope = sourceScope(source);

  // A page is known by its normalised URL (trailing slash added, as the real sites' URLs
  // have it) but fetched as linked: a guessed slash can 404 where a redirect would not.
  const queued = new Set<string>();
  const frontier: { key: string; url: string }[] = [];
  const enqueue = (url: string) => {
    let key: string;
    let fetchUrl: string;
    try {
      key = normalizeUrl(url);
      fetchUrl = normalizeUrl(url, { trailingSlash: false });
    } catch {
      return;
    }
    if (queued.has(key) || !inScope(key)) return;
    queued.add(key);
    frontier.push({ key, url: fetchUrl });
  };
  const seen: string[] = [];
  const states = await BatchedStates.load(store, source.id);
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  let incomplete = false;

  // Progress reaches the run record as it happens: the ledger entries, the count deltas and
  // the pages seen unchanged are written every 20 URLs (one statement each, not one a URL).
  const flushed: RunCounts = { ...counts };
  const ledger: RunItemInput[] = [];
  const flush = async () => {
    counts.discovered = queued.size;
    // Snapshot before writing: pages in flight go on counting while the write awaits.
    const snapshot = { ...counts };
    const items = ledger.splice(0);
    try {
      await store.runs.addItems(runId, items);
    } catch (error) {
      ledger.unshift(...items); // for the next flush to try again
      throw error;
    }
    await states.flush();
    const delta = Object.fromEntries(Object.entries(snapshot).map(([key, value]) => [key, value - flushed[key as keyof RunCounts]])) as Partial<RunCounts>;
    if (Object.values(delta).every((value) => value === 0)) return;
    Object.assign(flushed, snapshot);
    await store.runs.addCounts(runId, delta);
  };
  const record = async (item: RunItemInput) => {
    if (item.outcome === 'skipped') counts.skipped += 1;
    if (item.outcome === 'failed') counts.failed += 1;
    counts.chunksAdded += item.chunksAdded;
    counts.chunksRemoved += item.chunksRemoved;
    ledger.push(item);
    done += 1;
    if (done % 20 === 0) await flush();
    options.onProgress?.({ runId, url: item.url, outcome: item.outcome, done, discovered: queued.size });
  };

  try {
    // Discovery: the sitemaps robots.txt names, then the seeds (or the site's usual places).
    const seeds = source.seeds.length > 0 ? source.seeds : [new URL('sitemap.xml', base).toString(), base.toString()];
    const discovery = [...(await robots.rulesFor(base.toString())).sitemaps, ...seeds];
    const visitedDiscovery = new Set<string>();
    while (discovery.length > 0 && !options.signal?.aborted) {
      const url = discovery.shift()!;
      if (visitedDiscovery.has(url) || visitedDiscovery.size > 50) continue;
      visitedDiscovery.add(url);
      try {
        await refuseDisallowed(robots, url);
        const result = await fetchPolitely(dependencies, source, { url, allowedTypes: discoveryTypes, signal: options.signal });
        if (result.kind !== 'ok') {
          if (result.kind === 'http_error') await record({ url, httpStatus: result.status, outcome: 'failed', chunksAdded: 0, chunksRemoved: 0, embeddingTokens: 0, error: `discovery: HTTP ${result.status}` });
          continue;
        }
        const parsed = parseDiscoveryDocument(result.body, result.url);
        if (parsed?.kind === 'sitemap-index') discovery.push(...parsed.sitemaps.map((entry) => entry.url));
        else if (parsed) parsed.urls.forEach((entry) => enqueue(entry.url));
        else enqueue(result.url);
      } catch (error) {
        if (!(error instanceof FetchError)) throw error;
        await record({ url, httpStatus: null, outcome: error.code === 'forbidden' ? 'skipped' : 'failed', chunksAdded: 0, chunksRemoved: 0, embeddingTokens: 0, error: `discovery: ${error.message}` });
      }
    }

    // Several pages in flight: while one page's text is extracted, embedded and stored, the
    // next is fetched. Requests to one host still go one at a time, with the delay
    // (HostScheduler), so politeness does not depend on this number.
    let started = 0;
    for (;;) {
      while (frontier.length > 0 && inFlight.size < pagesInFlight && !options.signal?.aborted) {
        if (started >= source.maxPages) {
          incomplete = true;
          frontier.length = 0;
          break;
        }
        const next = frontier.shift()!;
        started += 1;
        counts.discovered = queued.size;
        const task = crawlPage(dependencies, source, next, { inScope, signal: options.signal, states })
          .then(async (page) => {
            if (page.fetched) counts.fetched += 1;
            if (page.unchanged) counts.unchanged += 1;
            if (page.failure === 'transient') incomplete = true;
            page.links.forEach(enqueue);
            if (page.seen) {
              queued.add(page.seen);
              seen.push(page.seen);
            }
            await record(page.item);
          })
          .finally(() => inFlight.delete(task));
        inFlight.add(task);
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
    }
    if (options.signal?.aborted) incomplete = true;

    // Only a complete crawl may conclude that a page has vanished.
    if (!incomplete && counts.failed === 0) {
      for (const gone of await store.documents.tombstoneMissing(source.id, seen)) {
        await record({ url: gone.locator, httpStatus: null, outcome: 'tombstoned', chunksAdded: 0, chunksRemoved: gone.chunksRemoved, embeddingTokens: 0, error: 'missing from a complete crawl' });
      }
    }
    await flush();
    return { counts, complete: !incomplete };
  } catch (error) {
    // The run fails, but its ledger keeps every page recorded, those still in flight included.
    await Promise.allSettled(inFlight);
    await flush().catch(() => undefined);
    throw error;
  }
}

export interface RunCrawlOptions {
  sources: SourceRecord[];
  trigger?: RunTrigger;
  /** A run created beforehand (by the API, for a queued request); otherwise one is created. */
  runId?: string;
  onProgress?: (progress: CrawlProgress) => void;
  /** The pages are done, and this many new vectors are going into the HNSW index (deferred indexing). */
  onIndexing?: (vectors: number) => void;
  signal?: AbortSignal;
}

/**
 * One ingestion run over one or more web sources, in order: the run record goes from
 * running to succeeded, failed or cancelled, with the counts of all its sources.
 */
export async function runCrawl(dependencies: CrawlDependencies, options: RunCrawlOptions): Promise<{ runId: string; counts: RunCounts; complete: boolean }> {
  const { store, embedder } = dependencies;
  await prepareEmbeddingModel(store, embedder);
  const runId = options.runId ?? (await store.runs.create(options.sources.length === 1 ? options.sources[0]!.id : null, options.trigger ?? 'cli')).id;
  await store.runs.start(runId);
  const total: RunCounts = { discovered: 0, fetched: 0, unchanged: 0, skipped: 0, failed: 0, chunksAdded: 0, chunksRemoved: 0 };
  let complete = true;
  try {
    for (const source of options.sources) {
      if (options.signal?.aborted) break;
      const result = await crawlSource(dependencies, source, { runId, onProgress: options.onProgress, signal: options.signal });
      for (const key of Object.keys(total) as (keyof RunCounts)[]) total[key] += result.counts[key];
      complete &&= result.complete;
    }
    // Vectors kept out of the HNSW index during the run (PGlite) go into it now, before the
    // run counts as done; after a shutdown they wait for the next run, searchable meanwhile.
    if (!options.signal?.aborted) {
      const unindexed = [...(await store.embeddings.countUnindexed()).values()].reduce((sum, count) => sum + count, 0);
      if (unindexed > 0) {
        options.onIndexing?.(unindexed);
        await store.embeddings.indexPending();
      }
    }
    if (total.chunksAdded + total.chunksRemoved > 0) await store.documents.refreshStatistics();
    await store.runs.finish(runId, options.signal?.aborted ? 'cancelled' : 'succeeded');
    return { runId, counts: total, complete };
  } catch (error) {
    await store.runs.finish(runId, 'failed', error instanceof Error ? error.message : String(error)).catch(() => undefined);
    throw error;
  }
}
