import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CairnError } from '@cairn/core';
import type { Embedder } from '@cairn/embed';
import type { RunTrigger, Store } from '@cairn/store';
import { parseHtmlNote } from '../extract/parse-html-note.js';
import { NoteParseError } from '../extract/note-parse-error.js';
import { parseMarkdownNote } from '../extract/parse-markdown-note.js';
import { ingestDocument, prepareEmbeddingModel } from './ingest-document.js';
import { endStoppedRun, ingestStaticSite, type StaticSiteResult } from './ingest-static-site.js';
import type { PassageContextWriter } from './passage-context.js';
import { runFailureText } from '../runs/run-failure-text.js';
import { listedCounts, listLocalFiles, maxLocalFileBytes, readLocalFile, recordUnread, unreadableFile } from './read-local-file.js';

const noteExtensions = new Set(['.md', '.markdown', '.html', '.htm']);

export interface DirectoryProgress {
  done: number;
  total: number;
  file: string;
  /** `skipped`: a file of a static site that holds no article, or whose canonical URL is elsewhere. */
  outcome: 'changed' | 'unchanged' | 'failed' | 'skipped';
}

export interface IngestDirectoryOptions {
  directory: string;
  /** The source's name; defaults to the directory's name. */
  sourceName?: string | undefined;
  /**
   * Where the directory is published, when it is a built static site (HTML files, an
   * `index.html` per folder): its files are then pages of that site, read by the article
   * extractor and stored under their URLs (see ingestStaticSite), not notes.
   */
  baseUrl?: string | undefined;
  trigger?: RunTrigger;
  /**
   * Whether the source may hold something else now (a web source, or another directory's
   * notes): its pages are then replaced by this directory's. Without it such a source is
   * refused (`source_exists`), as a run removes every page of the source it does not find here.
   */
  replace?: boolean | undefined;
  onProgress?: (progress: DirectoryProgress) => void;
  /** Writes the sentence that situates each new passage in its page (CAIRN_PASSAGE_CONTEXT=llm); none when absent. */
  passageContext?: PassageContextWriter | undefined;
  /**
   * Stops the run after the note in hand (Ctrl-C on `cairn ingest --dir`): it is recorded as
   * cancelled, what was stored stays, and nothing is tombstoned (the notes not read are not gone).
   */
  signal?: AbortSignal | undefined;
}

/**
 * Refuses (`source_exists`) to read a directory into a source that holds something else: a
 * web source, or another directory's notes. Their pages would all be removed (a run keeps
 * only what it finds), and a web source would become a directory one. `replace` allows it.
 */
async function refuseToReplaceSource(store: Store, name: string, directory: string, replace: boolean | undefined): Promise<void> {
  const existing = await store.sources.findByName(name);
  if (!existing || replace) return;
  const here = pathToFileURL(directory).toString();
  if (existing.kind === 'directory' && existing.baseUrl === here) return;
  const holds =
    existing.kind === 'directory' ? `the notes of ${fileURLToPath(existing.baseUrl)}` : `the pages crawled from ${existing.baseUrl}`;
  throw new CairnError(
    'source_exists',
    `The source ${name} holds ${holds}; reading ${directory} into it would remove them. Pick another name (--name), or pass --replace to replace them.`,
    { details: { source: name } },
  );
}

export type IngestDirectoryResult = StaticSiteResult;

/** Source names: lower case letters, digits, dot, dash and underscore. */
export function toSourceName(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 64) || 'notes'
  );
}

/**
 * Ingests a directory of markdown or HTML notes as a source: each file is a document
 * (its path is its locator), unchanged files cost nothing, files that have disappeared
 * are tombstoned, and a file that cannot be parsed is recorded as failed without
 * stopping the others. The run and its per-file ledger are recorded like a crawl's.
 * With `baseUrl`, the directory is a built static site instead (ingestStaticSite).
 */
export async function ingestDirectory(store: Store, embedder: Embedder, options: IngestDirectoryOptions): Promise<IngestDirectoryResult> {
  const directory = resolve(options.directory);
  await refuseToReplaceSource(store, toSourceName(options.sourceName ?? basename(directory)), directory, options.replace);
  if (options.baseUrl !== undefined) {
    return ingestStaticSite(store, embedder, {
      directory,
      baseUrl: options.baseUrl,
      sourceName: toSourceName(options.sourceName ?? basename(directory)),
      trigger: options.trigger,
      onProgress: options.onProgress,
      passageContext: options.passageContext,
      signal: options.signal,
    });
  }
  const { files, unread } = await listLocalFiles(directory, noteExtensions).catch((error: NodeJS.ErrnoException) => {
    throw new CairnError('directory_unreadable', `Cannot read the directory ${directory} (${error.code ?? error.message})`, {
      cause: error,
      details: { directory },
    });
  });
  await prepareEmbeddingModel(store, embedder);
  const source = await store.sources.upsert({
    name: toSourceName(options.sourceName ?? basename(directory)),
    kind: 'directory',
    baseUrl: pathToFileURL(directory).toString(),
  });
  const run = await store.runs.create(source.id, options.trigger ?? 'cli');
  await store.runs.start(run.id);
  const counts = listedCounts(files, unread);
  const failures: { file: string; error: string }[] = [];
  const seen: string[] = [];
  try {
    await recordUnread(store, run.id, unread);
    for (const [index, file] of files.entries()) {
      if (options.signal?.aborted) break;
      const locator = relative(directory, file).split('\\').join('/');
      const fileUrl = pathToFileURL(file).toString();
      let outcome: DirectoryProgress['outcome'];
      try {
        const text = await readLocalFile(file);
        if (text === undefined) throw new NoteParseError(locator, `is larger than ${maxLocalFileBytes} bytes`);
        counts.fetched += 1;
        const outline = /\.html?$/i.test(file) ? parseHtmlNote(text, locator) : parseMarkdownNote(text, locator);
        seen.push(locator);
        const result = await ingestDocument(
          store,
          embedder,
          { sourceId: source.id, sourceName: source.name, locator, outline },
          { passageContext: options.passageContext },
        );
        outcome = result.outcome;
        if (result.outcome === 'unchanged') counts.unchanged += 1;
        counts.chunksAdded += result.chunksAdded;
        counts.chunksRemoved += result.chunksRemoved;
        await store.runs.addItems(run.id, [
          {
            url: fileUrl,
            httpStatus: null,
            outcome: result.outcome,
            chunksAdded: result.chunksAdded,
            chunksRemoved: result.chunksRemoved,
            embeddingTokens: result.embeddingTokens,
            error: null,
          },
        ]);
      } catch (error) {
        // A file that vanished during the run is dropped as a deleted one; one that cannot be read is recorded failed.
        const unreadable = unreadableFile(error, locator);
        if (unreadable?.gone) {
          outcome = 'skipped';
          counts.skipped += 1;
          await store.runs.addItems(run.id, [
            {
              url: fileUrl,
              httpStatus: null,
              outcome: 'skipped',
              chunksAdded: 0,
              chunksRemoved: 0,
              embeddingTokens: 0,
              error: unreadable.reason,
            },
          ]);
          options.onProgress?.({ done: index + 1, total: files.length, file: locator, outcome });
          continue;
        }
        const failure = unreadable ? new NoteParseError(locator, unreadable.reason) : error;
        // A parse failure skips this file; a failing store or embedder fails the run.
        if (!(failure instanceof NoteParseError)) throw failure;
        outcome = 'failed';
        counts.failed += 1;
        failures.push({ file: locator, error: failure.message });
        await store.runs.addItems(run.id, [
          {
            url: fileUrl,
            httpStatus: null,
            outcome: 'failed',
            chunksAdded: 0,
            chunksRemoved: 0,
            embeddingTokens: 0,
            error: failure.message,
          },
        ]);
      }
      options.onProgress?.({ done: index + 1, total: files.length, file: locator, outcome });
    }
    if (options.signal?.aborted) {
      await endStoppedRun(store, run.id, counts);
      return { runId: run.id, sourceId: source.id, counts, failures, status: 'cancelled' };
    }
    // Files that failed to parse keep their previous version rather than vanishing.
    const kept = [...seen, ...failures.map((failure) => failure.file)];
    for (const gone of await store.documents.tombstoneMissing(source.id, kept)) {
      counts.chunksRemoved += gone.chunksRemoved;
      await store.runs.addItems(run.id, [
        {
          url: pathToFileURL(join(directory, gone.locator)).toString(),
          httpStatus: null,
          outcome: 'tombstoned',
          chunksAdded: 0,
          chunksRemoved: gone.chunksRemoved,
          embeddingTokens: 0,
          error: null,
        },
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
  return { runId: run.id, sourceId: source.id, counts, failures, status: 'succeeded' };
}
