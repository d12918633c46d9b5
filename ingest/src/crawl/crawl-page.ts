import type { Embedder } from '@cairn/embed';
import type { RunItemInput, SourceRecord, Store } from '@cairn/store';
import { ExtractionError } from '../extract/extract-article.js';
import { normalizeUrl } from '../extract/normalize-url.js';
import { ingestDocument } from '../pipeline/ingest-document.js';
import type { PassageContextWriter } from '../pipeline/passage-context.js';
import { directStates, type DocumentStates } from './document-states.js';
import { inThreadReader, type PageReader } from './extraction-pool.js';
import { mirrorMapping } from './mirror-mapping.js';
import { FetchError, type FetchRequest, type FetchResult, type PageFetcher } from './fetch-page.js';
import type { HostGate } from './host-scheduler.js';
import type { RobotsCache } from './robots-cache.js';

export interface CrawlDependencies {
  store: Store;
  embedder: Embedder;
  /** Writes the sentence that situates each new passage in its page (CAIRN_PASSAGE_CONTEXT=llm); none when absent. */
  passageContext?: PassageContextWriter | undefined;
  fetcher: PageFetcher;
  robots: RobotsCache;
  scheduler: HostGate;
  /**
   * Reads fetched pages and sitemaps: the crawler's extraction thread (createCrawler), so
   * that a big page does not hold the event loop; this thread when absent.
   */
  reader?: PageReader | undefined;
}

/** What became of one page: its ledger entry, and what the crawl around it needs to know. */
export interface PageOutcome {
  item: RunItemInput;
  /** A page body was fetched and read (200), whether or not its text had changed. */
  fetched: boolean;
  /** Nothing to do: a 304, or the same extracted text as stored. */
  unchanged: boolean;
  /** The normalised URL the page is stored under, when it still exists. */
  seen: string | null;
  /** Links found on the page (or on a listing page that holds no article). */
  links: string[];
  /**
   * Why it failed, if it did: `permanent` will fail the same way again (robots.txt
   * disallows it, 404 or 410, not an article, a body too large or of the wrong type),
   * `transient` may not (a timeout, a network error, a 5xx).
   */
  failure: 'permanent' | 'transient' | null;
  /**
   * robots.txt or the address guard refused the URL (`forbidden`): nothing was asked of
   * the page. A crawl in which every URL was refused has fetched nothing, and fails.
   */
  refused: boolean;
  /** The page named another as its canonical one and was not stored: that page's normalised URL. */
  copyOf?: string | undefined;
}

/** Fetches `url` once the host's turn comes: one request at a time per host, with the delay. */
export async function fetchPolitely(dependencies: CrawlDependencies, source: SourceRecord, request: FetchRequest): Promise<FetchResult> {
  const rules = await dependencies.robots.rulesFor(request.url);
  const delayMs = Math.max(source.crawlDelayMs, rules.crawlDelayMs ?? 0);
  const { host } = dependencies.fetcher.check(request.url);
  return dependencies.scheduler
    .run(
      host,
      delayMs,
      () => dependencies.fetcher.fetch({ ...request, beforeRedirect: (url) => refuseDisallowed(dependencies.robots, url, host) }),
      request.signal,
    )
    .catch((error: unknown) => {
      // Stopped while it waited for the host's turn: the page was not asked for, as a fetch stopped midway says.
      if (request.signal?.aborted && !(error instanceof FetchError))
        throw new FetchError(request.url, 'network', `${request.url}: cancelled`, false, { cause: error });
      throw error;
    });
}

/**
 * Throws a permanent `forbidden` FetchError when `url` may not be fetched: the address
 * guard refuses its host (the message says so, and not robots.txt), or robots.txt
 * disallows it. `turnHeld` is the host whose turn the caller holds (a redirect checked in
 * the middle of a request).
 */
export async function refuseDisallowed(robots: RobotsCache, url: string, turnHeld?: string): Promise<void> {
  const rules = await robots.rulesFor(url, turnHeld ? { turnHeld } : {});
  if (rules.refusal !== undefined) throw new FetchError(url, 'forbidden', `Refused to fetch ${url}: ${rules.refusal}`, true);
  if (!rules.isAllowed(url))
    throw new FetchError(
      url,
      'forbidden',
      // Unreachable is no rule of the site's: say that the host did not answer, and why (RFC 9309 then disallows all).
      rules.basis === 'unreachable: all disallowed'
        ? `could not reach ${new URL(url).host} (its robots.txt: ${rules.unreachable ?? 'no answer'}), so nothing there is fetched until it answers (RFC 9309; asked again within 5 minutes): ${url}`
        : `robots.txt (${rules.basis}) disallows ${url}`,
      true,
    );
}

/**
 * One page of a web source, end to end: robots.txt, a conditional GET with the stored
 * validators, extraction, chunking and embedding through the cache, one transaction to
 * store it; a 404 or 410 tombstones a stored page. Never throws for what a page can do
 * wrong: the outcome says it (an error of the database or the embedder still throws).
 *
 * @param key the page's normalised URL (what it is stored under: the public one, for a mirror)
 * @param url the URL to request, as linked (the mirror's copy, for a mirror)
 */
export async function crawlPage(
  dependencies: CrawlDependencies,
  source: SourceRecord,
  page: { key: string; url: string },
  options: {
    inScope: (url: string) => boolean;
    signal?: AbortSignal | undefined;
    /** Where stored states are read and 304s recorded (default: the store, at once). */
    states?: DocumentStates | undefined;
    /**
     * Store the page under its own URL whatever its canonical link names: that page could not be read in this crawl (a
     * 404, a loop of pages naming each other), and a copy with no original stored would be no page at all.
     */
    ownUrl?: boolean | undefined;
  },
): Promise<PageOutcome> {
  const { store, embedder, robots } = dependencies;
  const { key, url } = page;
  const none = { chunksAdded: 0, chunksRemoved: 0, embeddingTokens: 0, error: null };
  const outcome = (item: RunItemInput, rest: Partial<Omit<PageOutcome, 'item'>> = {}): PageOutcome => ({
    item,
    fetched: false,
    unchanged: false,
    seen: null,
    links: [],
    failure: null,
    refused: false,
    ...rest,
  });
  try {
    await refuseDisallowed(robots, url);
  } catch (error) {
    // Anything else (the shared scheduler's Redis gone, say) is the crawl's failure, not the page's.
    if (!(error instanceof FetchError)) throw error;
    return outcome(
      { url, httpStatus: null, outcome: 'skipped', ...none, error: error.message },
      { failure: 'permanent', refused: error.code === 'forbidden' },
    );
  }
  const states = options.states ?? directStates(store, source.id);
  // Only a copy still in the index is worth revalidating: a 304 for a tombstoned page would
  // leave it out of search although it is back.
  const state = await states.find(key);
  const current = state?.status === 'active' ? state : undefined;
  try {
    const result = await fetchPolitely(dependencies, source, {
      url,
      etag: current?.etag,
      lastModified: current?.lastModified,
      signal: options.signal,
    });
    if (result.kind === 'not_modified') {
      // A 304 to a request that sent no validators (nothing of the page is stored): the server answered nothing to
      // store, and calling it unchanged would hide that the page is not searchable.
      if (!current)
        return outcome(
          {
            url,
            httpStatus: 304,
            outcome: 'failed',
            ...none,
            error: 'HTTP 304 to a request without validators: no copy is stored, so nothing was read',
          },
          { failure: 'transient' },
        );
      await states.seenUnchanged(current.id);
      // A 304 carries no page: its links are the ones it held when last read, so that the
      // pages only it leads to are found again (and not tombstoned as missing).
      return outcome({ url, httpStatus: 304, outcome: 'unchanged', ...none }, { unchanged: true, seen: key, links: current.links ?? [] });
    }
    if (result.kind === 'http_error') {
      const gone = result.status === 404 || result.status === 410;
      if (gone && current) {
        const [tombstoned] = await store.documents.tombstone(source.id, key);
        // Not a failure: the index now says what the site says.
        return outcome({ url, httpStatus: result.status, outcome: 'tombstoned', ...none, chunksRemoved: tombstoned?.chunksRemoved ?? 0 });
      }
      const transient = result.status >= 500 || result.status === 429 || result.status === 408;
      return outcome(
        { url, httpStatus: result.status, outcome: gone ? 'skipped' : 'failed', ...none, error: `HTTP ${result.status}` },
        { failure: transient ? 'transient' : 'permanent' },
      );
    }
    const article = await (dependencies.reader ?? inThreadReader).readArticle(result.body, result.url);
    // A mirror's page is stored and cited under the public URL: its canonical link names it,
    // or the mirror's URL (no canonical link, or a relative one) stands for it.
    const { toPublic } = mirrorMapping(source);
    const locator = normalizeUrl(toPublic(article.canonicalUrl));
    if (!options.inScope(locator)) {
      return outcome(
        { url, httpStatus: result.status, outcome: 'skipped', ...none, error: `canonical URL ${locator} is out of scope` },
        { fetched: true, links: article.links, failure: 'permanent' },
      );
    }
    // A page whose canonical link names another page (a second page of a post, a print or tracking copy) is a copy of
    // it: stored under that page's URL it replaced the page's own text, the last one read winning. The page itself is
    // read instead (its URL joins the links), and the copy is not stored.
    if (!options.ownUrl && locator !== key && locator !== normalizeUrl(toPublic(result.url))) {
      return outcome(
        {
          url,
          httpStatus: result.status,
          outcome: 'skipped',
          ...none,
          error: `a copy of ${locator} (its canonical link): that page is read instead`,
        },
        { fetched: true, links: [...article.links, locator], copyOf: locator },
      );
    }
    // Kept under its own URL (the canonical page was not read): the URL the page was asked for, as it is stored.
    const storedAs = options.ownUrl ? key : locator;
    const ingested = await ingestDocument(
      store,
      embedder,
      {
        sourceId: source.id,
        sourceName: source.name,
        locator: storedAs,
        outline: { ...article.outline, url: storedAs },
        validators: { etag: result.etag, lastModified: result.lastModified, links: article.links },
      },
      { passageContext: dependencies.passageContext, signal: options.signal },
    );
    return outcome(
      {
        url,
        httpStatus: result.status,
        outcome: ingested.outcome,
        chunksAdded: ingested.chunksAdded,
        chunksRemoved: ingested.chunksRemoved,
        embeddingTokens: ingested.embeddingTokens,
        error: null,
      },
      { fetched: true, unchanged: ingested.outcome === 'unchanged', seen: storedAs, links: article.links },
    );
  } catch (error) {
    if (error instanceof FetchError) {
      const refused = error.code === 'forbidden';
      return outcome(
        { url, httpStatus: null, outcome: refused ? 'skipped' : 'failed', ...none, error: error.message },
        { failure: error.permanent ? 'permanent' : 'transient', refused },
      );
    }
    if (error instanceof ExtractionError) {
      // A listing page holds no article, but its links lead to articles.
      return outcome(
        { url, httpStatus: 200, outcome: 'skipped', ...none, error: `not an article: ${error.reason}` },
        { links: error.links, failure: 'permanent' },
      );
    }
    throw error;
  }
}
