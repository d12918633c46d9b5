import type { RunCounts, RunTrigger, SourceRecord, Store } from '@cairn/store';
import { ExtractionError } from '../extract/extraction-error.js';
import { prepareEmbeddingModel } from '../pipeline/ingest-document.js';
import { RunLedger } from '../runs/run-ledger.js';
import { CrawlFrontier, type FrontierPage } from './crawl-frontier.js';
import { crawlPage, fetchPolitely, refuseDisallowed, type CrawlDependencies, type PageOutcome } from './crawl-page.js';
import { inThreadReader } from './extraction-pool.js';
import { BatchedStates } from './document-states.js';
import { FetchError } from './fetch-page.js';
import { mirrorMapping } from './mirror-mapping.js';
import { sourcePatternFilter } from './source-patterns.js';
import { SourceTally, type CrawlProgress } from './source-tally.js';
import { runFailureText } from '../runs/run-failure-text.js';

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
  /**
   * False when a page limit, a cancellation or a transient failure cut the crawl short, or
   * when every URL was refused (nothing was fetched, so nothing can be called vanished).
   */
  complete: boolean;
  /**
   * When robots.txt or the address guard refused every URL of the source, so that nothing
   * was fetched: the first refusal's message (why). Undefined otherwise.
   */
  refusedEverywhere?: string | undefined;
}

/** Pages being fetched, extracted, embedded or stored at once within one crawl. */
const pagesInFlight = 4;

const discoveryTypes = [
  'application/xml',
  'text/xml',
  'application/rss+xml',
  'application/atom+xml',
  'text/html',
  'application/xhtml+xml',
  // A gzipped sitemap (sitemap.xml.gz), which the sitemaps protocol allows: unpacked by the fetcher.
  'application/gzip',
  'application/x-gzip',
];

/**
 * The longest URL a crawl takes in (the sitemaps protocol's limit): longer ones are session
 * ids, calendars and traps, and matching patterns against them costs time for nothing.
 */
export const maxUrlLength = 2048;

/**
 * Whether a normalised URL belongs to a web source: no longer than `maxUrlLength`, the
 * same host (with or without `www.`), under the base path, matching an include pattern (if
 * any) and no exclude pattern. Patterns match with RE2, in linear time and within a time
 * budget for the crawl (see sourcePatternFilter). A source with a `publicBaseUrl` is scoped
 * by its public address: a URL of its mirror is taken as the public URL it stands for.
 *
 * @throws SourcePatternError (`invalid_pattern`) for a pattern the crawler cannot run,
 *   saved before patterns were checked.
 */
export function sourceScope(source: SourceRecord): (url: string) => boolean {
  const base = new URL(source.publicBaseUrl ?? source.baseUrl);
  const { toPublic } = mirrorMapping(source);
  const admits = sourcePatternFilter(source);
  return (given) => {
    const url = toPublic(given);
    if (url.length > maxUrlLength) return false;
    const parsed = new URL(url);
    if (parsed.hostname.replace(/^www\./, '') !== base.hostname.replace(/^www\./, '')) return false;
    // Another port is another site (a URL keeps a port only when it is not its scheme's default, so
    // http and https of one host stay one site: pages canonical to https under an http base are in scope).
    if (parsed.port !== base.port) return false;
    if (!parsed.pathname.startsWith(base.pathname)) return false;
    return admits(url);
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
  // A mirror's sitemaps and seeds may name the public site: their copies on the mirror are fetched.
  const { toMirror } = mirrorMapping(source);
  // Without seeds, /sitemap.xml is a guess: a site without one is no failure of the run (whose failures would keep
  // vanished pages from leaving search), only a note in its ledger.
  const guessedSitemap = source.seeds.length > 0 ? undefined : new URL('sitemap.xml', base).toString();
  const seeds = guessedSitemap ? [guessedSitemap, base.toString()] : source.seeds;
  const discovery = [...(await robots.rulesFor(base.toString())).sitemaps, ...seeds];
  const visited = new Set<string>();
  while (discovery.length > 0 && !signal?.aborted) {
    const url = toMirror(discovery.shift()!);
    if (visited.has(url) || visited.size > 50) continue;
    visited.add(url);
    try {
      await refuseDisallowed(robots, url);
      const result = await fetchPolitely(dependencies, source, { url, allowedTypes: discoveryTypes, signal });
      if (result.kind !== 'ok') {
        if (result.kind === 'http_error') {
          const noGuessedSitemap = url === toMirror(guessedSitemap ?? '') && (result.status === 404 || result.status === 410);
          await tally.record({
            url,
            httpStatus: result.status,
            outcome: noGuessedSitemap ? 'skipped' : 'failed',
            chunksAdded: 0,
            chunksRemoved: 0,
            embeddingTokens: 0,
            error: noGuessedSitemap
              ? `discovery: the site has no sitemap here (HTTP ${result.status}); its pages are found from the start page`
              : `discovery: HTTP ${result.status}`,
          });
        }
        continue;
      }
      const parsed = await (dependencies.reader ?? inThreadReader).readDiscovery(result.body, result.url);
      if (parsed?.kind === 'sitemap-index') discovery.push(...parsed.sitemaps.map((entry) => entry.url));
      else if (parsed) await frontier.addAll(parsed.urls.map((entry) => entry.url));
      else {
        const added = frontier.add(result.url);
        // A start page the source's own patterns leave out is never crawled: said, or the run reads as "nothing there".
        if (added.status === 'out_of_scope')
          await tally.record({
            url,
            httpStatus: result.status,
            outcome: 'skipped',
            chunksAdded: 0,
            chunksRemoved: 0,
            embeddingTokens: 0,
            error: `the start page is outside the source's include/exclude patterns (matched as ${added.key})`,
          });
      }
    } catch (error) {
      if (error instanceof ExtractionError) {
        // The reader ran out of time or memory on the document: one discovery entry fails.
        await tally.record({
          url,
          httpStatus: 200,
          outcome: 'failed',
          chunksAdded: 0,
          chunksRemoved: 0,
          embeddingTokens: 0,
          error: `discovery: ${error.reason}`,
        });
        continue;
      }
      if (!(error instanceof FetchError)) throw error;
      // Cut short by the run's stop: nothing to record of it.
      if (signal?.aborted && error.message.endsWith(': cancelled')) break;
      const refused = error.code === 'forbidden';
      await tally.record(
        {
          url,
          httpStatus: null,
          outcome: refused ? 'skipped' : 'failed',
          chunksAdded: 0,
          chunksRemoved: 0,
          embeddingTokens: 0,
          error: `discovery: ${error.message}`,
        },
        { refused },
      );
    }
  }
}

/** What a crawl of the frontier carries from page to page. */
interface CrawlContext {
  frontier: CrawlFrontier;
  tally: SourceTally;
  states: BatchedStates;
  signal: AbortSignal | undefined;
  /** Pages not stored because their canonical link names another page, with that page. */
  copies: { page: FrontierPage; original: string }[];
}

/** Crawls one page of the frontier, adds the links it gave to the frontier and records what became of it. */
async function crawlOne(
  dependencies: CrawlDependencies,
  source: SourceRecord,
  page: FrontierPage,
  context: CrawlContext,
  ownUrl = false,
): Promise<PageOutcome> {
  const { frontier, tally } = context;
  const outcome = await crawlPage(dependencies, source, page, {
    inScope: frontier.inScope,
    signal: context.signal,
    states: context.states,
    ownUrl,
  });
  if (outcome.copyOf) context.copies.push({ page, original: outcome.copyOf });
  // A page the run's stop cut short (cancelled, SIGTERM) is not a failure of the page: the run's record leaves it out.
  if (context.signal?.aborted && outcome.item.outcome === 'failed' && outcome.item.error?.endsWith(': cancelled')) return outcome;
  await frontier.addAll(outcome.links);
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
async function crawlFrontier(dependencies: CrawlDependencies, source: SourceRecord, context: CrawlContext): Promise<boolean> {
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

/**
 * Reads again, to store under its own URL, each page that deferred to a canonical page the crawl did not store (a 404,
 * pages naming each other): a copy whose original is missing is the only copy (probe 34, M1). Which originals are
 * missing is decided before any is read again, so both pages of a loop are kept. Resolves with false when one of them
 * failed in a way that may pass.
 */
async function keepOrphanedCopies(dependencies: CrawlDependencies, source: SourceRecord, context: CrawlContext): Promise<boolean> {
  const stored = new Set(context.frontier.seen);
  const orphaned = context.copies.filter((copy) => !stored.has(copy.original));
  let complete = true;
  for (const { page } of orphaned) {
    if (context.signal?.aborted) return false;
    const outcome = await crawlOne(dependencies, source, page, context, true);
    if (outcome.failure === 'transient') complete = false;
  }
  return complete;
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
  const frontier = new CrawlFrontier(sourceScope(source), mirrorMapping(source));
  const states = await BatchedStates.load(dependencies.store, source.id);
  const tally = new SourceTally(options.ledger, { states, discovered: () => frontier.discovered, onProgress: options.onProgress });
  try {
    await discoverFrontier(dependencies, source, frontier, tally, signal);
    const context: CrawlContext = { frontier, tally, states, signal, copies: [] };
    const crawled = await crawlFrontier(dependencies, source, context);
    // Only after a whole crawl can a canonical page be known to be missing.
    const finished = crawled && !signal?.aborted && (await keepOrphanedCopies(dependencies, source, context)) && !signal?.aborted;
    const { refusedEverywhere } = tally;
    // Only a complete crawl may conclude that a page has vanished; one refused everywhere saw nothing, and neither did
    // one that found no page at all (its seeds left out by the source's patterns, say): it tombstones nothing (probe 33 H2).
    const complete = finished && refusedEverywhere === undefined && frontier.seen.length > 0;
    if (complete && tally.counts.failed === 0) await tombstoneVanished(dependencies.store, source, frontier.seen, tally);
    await tally.flush();
    return { counts: tally.counts, complete, refusedEverywhere };
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
  /** The pages are done, and this many vectors are going into the HNSW index (deferred indexing; countUnindexed). */
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

/** What a run of runCrawl came to: the status and error its record was given, its counts. */
export interface RunCrawlResult {
  runId: string;
  counts: RunCounts;
  complete: boolean;
  status: 'succeeded' | 'failed' | 'cancelled';
  /** Why the run failed, when it ended failed without throwing (every URL refused). */
  error: string | null;
}

/**
 * One ingestion run over one or more web sources, in order: the run record goes from
 * running to succeeded, failed or cancelled, with the counts of all its sources. A run
 * in which robots.txt or the address guard refused every URL of every source fetched
 * nothing: it ends failed, its error saying why (it does not throw).
 */
export async function runCrawl(dependencies: CrawlDependencies, options: RunCrawlOptions): Promise<RunCrawlResult> {
  const { store, embedder } = dependencies;
  await prepareEmbeddingModel(store, embedder);
  const ledger =
    options.ledger ??
    (options.runId !== undefined
      ? new RunLedger(store.runs, options.runId)
      : await RunLedger.create(store.runs, options.sources.length === 1 ? options.sources[0]!.id : null, options.trigger ?? 'cli'));
  const total: RunCounts = { discovered: 0, fetched: 0, unchanged: 0, skipped: 0, failed: 0, chunksAdded: 0, chunksRemoved: 0 };
  // An admin cancelled the run while it waited: it is final already, nothing is crawled.
  if (!(await ledger.start()))
    return { runId: ledger.runId, counts: total, complete: false, status: 'cancelled', error: 'the run was cancelled before it started' };
  let complete = true;
  const refusals: string[] = [];
  let crawled = 0;
  try {
    for (const source of options.sources) {
      if (options.signal?.aborted) break;
      const result = await crawlSource(dependencies, source, { ledger, onProgress: options.onProgress, signal: options.signal });
      for (const key of Object.keys(total) as (keyof RunCounts)[]) total[key] += result.counts[key];
      complete &&= result.complete;
      crawled += 1;
      if (result.refusedEverywhere !== undefined) refusals.push(`${source.name}: ${result.refusedEverywhere}`);
    }
    await indexRunVectors(store, options);
    await store.documents.endRun();
    if (total.chunksAdded + total.chunksRemoved > 0) await store.documents.refreshStatistics();
    if (options.signal?.aborted) {
      // The stop's own words (a shutdown names itself); an admin's cancellation keeps the reason given then.
      await ledger.finish('cancelled', typeof options.signal.reason === 'string' ? options.signal.reason : null);
      return { runId: ledger.runId, counts: total, complete, status: 'cancelled', error: null };
    }
    if (crawled > 0 && refusals.length === crawled) {
      const error = `every URL was refused and nothing was fetched (${refusals.join('; ')})`;
      await ledger.finish('failed', error);
      return { runId: ledger.runId, counts: total, complete, status: 'failed', error };
    }
    // Every page it tried failed (the site answering 503, each page over the size cap): an outage, not a success.
    if (total.failed > 0 && total.fetched === 0 && total.unchanged === 0) {
      const error = `every page failed and nothing was fetched (${total.failed} failed; the run's ledger says why for each)`;
      await ledger.finish('failed', error);
      return { runId: ledger.runId, counts: total, complete, status: 'failed', error };
    }
    await ledger.finish('succeeded');
    return { runId: ledger.runId, counts: total, complete, status: 'succeeded', error: null };
  } catch (error) {
    // The keyword index a run drops (PostingsIndexing) comes back however the run ends.
    await store.documents.endRun().catch(() => undefined);
    await ledger.finish('failed', runFailureText(error)).catch(() => undefined);
    throw error;
  }
}
