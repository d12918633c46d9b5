import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CairnError } from '@cairn/core';
import type { Embedder } from '@cairn/embed';
import type { RunCounts, RunItemInput, RunTrigger, Store } from '@cairn/store';
import { sourceScope } from '../crawl/crawl-source.js';
import { extractArticle, ExtractionError } from '../extract/extract-article.js';
import { normalizeUrl } from '../extract/normalize-url.js';
import { ingestDocument, prepareEmbeddingModel } from './ingest-document.js';
import type { PassageContextWriter } from './passage-context.js';
import { runFailureText } from '../runs/run-failure-text.js';
import { listedCounts, listLocalFiles, maxLocalFileBytes, readLocalFile, recordUnread, unreadableFile } from './read-local-file.js';

const pageExtensions = new Set(['.html', '.htm']);

export interface StaticSiteOptions {
  /** An absolute path: the site's build (Hugo's `public/`, say). */
  directory: string;
  /** Where the build is published: each file's URL is this plus its path. */
  baseUrl: string;
  sourceName: string;
  trigger?: RunTrigger | undefined;
  onProgress?:
    ((progress: { done: number; total: number; file: string; outcome: 'changed' | 'unchanged' | 'skipped' }) => void) | undefined;
  /** Writes the sentence that situates each new passage in its page (CAIRN_PASSAGE_CONTEXT=llm); none when absent. */
  passageContext?: PassageContextWriter | undefined;
  /** Stops the run after the file in hand (see IngestDirectoryOptions.signal). */
  signal?: AbortSignal | undefined;
}

export interface StaticSiteResult {
  runId: string;
  sourceId: string;
  counts: RunCounts;
  failures: { file: string; error: string }[];
  /** How the run ended: cancelled when `signal` stopped it. */
  status: 'succeeded' | 'cancelled';
}

/** Why a run of files stopped early, as its record says. */
export const stoppedBySignal = 'stopped by a signal (Ctrl-C or SIGTERM) before every file was read';

/**
 * Ends a run of files that a signal stopped: what was stored stays searchable (indexed, the
 * keyword index back, statistics fresh), and nothing is tombstoned (the files not read are not gone).
 */
export async function endStoppedRun(store: Store, runId: string, counts: RunCounts): Promise<void> {
  await store.embeddings.indexPending();
  await store.documents.endRun();
  if (counts.chunksAdded + counts.chunksRemoved > 0) await store.documents.refreshStatistics();
  await store.runs.addCounts(runId, counts);
  await store.runs.finish(runId, 'cancelled', stoppedBySignal);
}

/**
 * The base URL of a static site with its trailing slash, so that paths resolve under it.
 *
 * @throws CairnError (`invalid_url`) for anything but an http(s) URL with a host.
 */
export function staticSiteBase(baseUrl: string): string {
  const parsed = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || !parsed.hostname) {
    throw new CairnError(
      'invalid_url',
      `--base-url: ${JSON.stringify(baseUrl)} is not an http or https URL with a host; give the address the site is published at, such as "https://example.com/blog/".`,
    );
  }
  parsed.hash = '';
  parsed.search = '';
  if (!parsed.pathname.endsWith('/')) parsed.pathname += '/';
  return parsed.toString();
}

/**
 * The URL a file of a static build is published at: its path under the base URL, and a
 * folder's `index.html` is the folder (`guides/staff/index.html` is `…/guides/staff/`),
 * as static site generators (Hugo, Jekyll) build pretty URLs.
 */
export function staticPageUrl(relativePath: string, base: string): string {
  const segments = relativePath.split(/[\\/]/).filter((segment) => segment !== '');
  if (segments.at(-1)?.toLowerCase() === 'index.html') segments[segments.length - 1] = '';
  return new URL(segments.map((segment) => encodeURIComponent(segment)).join('/'), base).toString();
}

/**
 * Ingests a built static site (a directory of HTML files) as the pages of the site it is
 * published at, as a crawl of it would: each file is read with the article extractor at
 * its public URL, and stored under its canonical URL when that is in the site's scope.
 * The source is a `directory` source (read from disk, never crawled) whose `publicBaseUrl`
 * is the site. Unchanged pages cost nothing, pages whose files disappeared are
 * tombstoned, and a file that holds no article (a listing, an alias, a 404 page) or whose
 * canonical URL is elsewhere is recorded as skipped. Called through ingestDirectory.
 */
export async function ingestStaticSite(store: Store, embedder: Embedder, options: StaticSiteOptions): Promise<StaticSiteResult> {
  const { directory } = options;
  const base = staticSiteBase(options.baseUrl);
  const { files, unread } = await listLocalFiles(directory, pageExtensions).catch((error: NodeJS.ErrnoException) => {
    throw new CairnError('directory_unreadable', `Cannot read the directory ${directory} (${error.code ?? error.message})`, {
      cause: error,
      details: { directory },
    });
  });
  await prepareEmbeddingModel(store, embedder);
  const source = await store.sources.upsert({
    name: options.sourceName,
    kind: 'directory',
    baseUrl: pathToFileURL(directory).toString(),
    publicBaseUrl: base,
  });
  const inScope = sourceScope(source);
  const run = await store.runs.create(source.id, options.trigger ?? 'cli');
  await store.runs.start(run.id);
  const counts = listedCounts(files, unread);
  const seen = new Set<string>();
  const none = { httpStatus: null, chunksAdded: 0, chunksRemoved: 0, embeddingTokens: 0 };
  try {
    await recordUnread(store, run.id, unread);
    for (const [index, file] of files.entries()) {
      if (options.signal?.aborted) break;
      const path = relative(directory, file).split('\\').join('/');
      const url = staticPageUrl(path, base);
      let item: RunItemInput;
      try {
        const html = await readLocalFile(file);
        counts.fetched += 1;
        const article = html === undefined ? undefined : extractArticle(html, url);
        const locator = article && normalizeUrl(article.canonicalUrl);
        if (!article || locator === undefined) item = { url, outcome: 'skipped', ...none, error: `larger than ${maxLocalFileBytes} bytes` };
        else if (!inScope(locator)) item = { url, outcome: 'skipped', ...none, error: `canonical URL ${locator} is out of scope` };
        else if (seen.has(locator)) item = { url, outcome: 'skipped', ...none, error: `another file is the page ${locator}` };
        else {
          seen.add(locator);
          const result = await ingestDocument(
            store,
            embedder,
            { sourceId: source.id, sourceName: source.name, locator, outline: { ...article.outline, url: locator } },
            { passageContext: options.passageContext },
          );
          if (result.outcome === 'unchanged') counts.unchanged += 1;
          counts.chunksAdded += result.chunksAdded;
          counts.chunksRemoved += result.chunksRemoved;
          const { outcome, chunksAdded, chunksRemoved, embeddingTokens } = result;
          item = { url, httpStatus: null, outcome, chunksAdded, chunksRemoved, embeddingTokens, error: null };
        }
      } catch (error) {
        // A file without an article, or one that vanished or cannot be read, is skipped; a failing disk, store or
        // embedder fails the run.
        const unreadable = unreadableFile(error, relative(options.directory, file));
        if (unreadable) item = { url, outcome: 'skipped', ...none, error: unreadable.reason };
        else if (error instanceof ExtractionError) item = { url, outcome: 'skipped', ...none, error: `not an article: ${error.reason}` };
        else throw error;
      }
      if (item.outcome === 'skipped') counts.skipped += 1;
      await store.runs.addItems(run.id, [item]);
      options.onProgress?.({
        done: index + 1,
        total: files.length,
        file: path,
        outcome: item.outcome === 'unchanged' || item.outcome === 'skipped' ? item.outcome : 'changed',
      });
    }
    if (options.signal?.aborted) {
      await endStoppedRun(store, run.id, counts);
      return { runId: run.id, sourceId: source.id, counts, failures: [], status: 'cancelled' };
    }
    for (const gone of await store.documents.tombstoneMissing(source.id, [...seen])) {
      counts.chunksRemoved += gone.chunksRemoved;
      await store.runs.addItems(run.id, [
        { url: gone.locator, ...none, outcome: 'tombstoned', chunksRemoved: gone.chunksRemoved, error: 'its file is gone from the build' },
      ]);
    }
    await store.embeddings.indexPending();
    await store.documents.endRun();
    if (counts.chunksAdded + counts.chunksRemoved > 0) await store.documents.refreshStatistics();
    await store.runs.addCounts(run.id, counts);
    await store.runs.finish(run.id, 'succeeded');
  } catch (error) {
    // The keyword index a run drops (PostingsIndexing) comes back however the run ends.
    await store.documents.endRun().catch(() => undefined);
    await store.runs.addCounts(run.id, counts).catch(() => undefined);
    await store.runs.finish(run.id, 'failed', runFailureText(error)).catch(() => undefined);
    throw error;
  }
  return { runId: run.id, sourceId: source.id, counts, failures: [], status: 'succeeded' };
}
