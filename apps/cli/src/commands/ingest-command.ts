import { basename, resolve } from 'node:path';
import { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { CairnError, loadConfig } from '@cairn/core';
import { openRuntime, type Runtime } from '@cairn/runtime';
import { ingestDirectory, runCrawl, toSourceName } from '@cairn/ingest';
import type { RunCounts, SourceRecord } from '@cairn/store';
import { emit, table } from '../output.js';

interface IngestOptions {
  dir?: string;
  source?: string;
  all?: boolean;
  url?: string;
  name?: string;
  baseUrl?: string;
  replace?: boolean;
  json?: boolean;
}

function summary(counts: RunCounts, runId: string, notes: string[], where?: string): string {
  const rows = table([
    ['discovered', 'fetched', 'unchanged', 'skipped', 'failed', 'passages added', 'passages removed'],
    [counts.discovered, counts.fetched, counts.unchanged, counts.skipped, counts.failed, counts.chunksAdded, counts.chunksRemoved].map(
      String,
    ),
  ]);
  return `${rows}${notes.length ? `\n${notes.map((note) => `  ${note}`).join('\n')}` : ''}\n\nrun ${runId}${where ? ` ${where}` : ''} (its ledger: the admin UI's Runs page, or GET /v1/ingest/runs/${runId} while the API runs)`;
}

/** Refuses a `--url` the crawler could not fetch, before anything is opened (`invalid_url`, as the API answers). */
function checkIngestUrl(value: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url && (url.username || url.password))
    throw new CairnError(
      'invalid_url',
      `--url carries credentials (user:password@); the crawler sends none. Give the address without them.`,
    );
  if (!url || !['http:', 'https:'].includes(url.protocol) || !url.hostname)
    throw new CairnError(
      'invalid_url',
      `--url ${JSON.stringify(value)} is not an http(s) address with a host; give a page, a sitemap or a feed, such as https://staffeng.com/ or https://lethain.com/feeds/`,
    );
}

/**
 * The web sources a run crawls, and the one `--url` created for it (none when the source
 * existed): a created source that the run stored nothing into is removed again afterwards.
 */
async function webSources(runtime: Runtime, options: IngestOptions): Promise<{ sources: SourceRecord[]; created?: SourceRecord }> {
  const { store } = runtime;
  if (options.url) {
    const url = new URL(options.url);
    const name = toSourceName(options.name ?? url.hostname);
    const existing = await store.sources.findByName(name);
    if (existing && existing.kind !== 'web') throw new Error(`The source ${name} is a ${existing.kind} source; pick another --name`);
    if (existing) return { sources: [existing] };
    const created = await store.sources.upsert({ name, kind: 'web', baseUrl: new URL('/', url).toString(), seeds: [url.toString()] });
    return { sources: [created], created };
  }
  if (options.source) {
    const source = await store.sources.findByName(options.source);
    if (!source) throw new Error(`No source is named ${options.source}; \`cairn sources\` lists them`);
    if (source.kind !== 'web') throw new Error(`${options.source} is a directory source; ingest it with --dir`);
    return { sources: [source] };
  }
  return { sources: (await store.sources.list()).filter((source) => source.enabled && source.kind === 'web') };
}

/**
 * Removes the source `--url` created when the run stored no page into it (every page failed,
 * was refused or skipped, or the run was stopped): a failed first try leaves nothing behind,
 * and the next `--url` starts afresh. The run's record stays, without its source. True when
 * it was removed.
 */
async function removeIfEmpty(runtime: Runtime, source: SourceRecord): Promise<boolean> {
  if ((await runtime.store.documents.statesOfSource(source.id)).size > 0) return false;
  return runtime.store.sources.delete(source.id);
}

export const ingestCommand = new Command('ingest')
  .description('Ingest sources into the index: crawl web sources, or read a directory of notes')
  .option('--source <name>', 'crawl one configured source')
  .option('--all', 'crawl every enabled web source')
  .option('--url <url>', 'crawl a site from this URL (a page, a sitemap or a feed), as a source named --name')
  .option('--name <name>', 'the source name for --url or --dir (default: the host or the directory name)')
  .option('--dir <path>', 'a directory of markdown (.md, with optional front matter) or HTML notes')
  .option(
    '--base-url <url>',
    'with --dir: the directory is a built static site (HTML, an index.html per folder) published at this URL; its pages are stored and cited under it',
  )
  .option(
    '--replace',
    'with --dir: read the directory into a source that holds something else (a web source, or another directory), replacing its pages',
  )
  .option('--json', 'print the run summary as JSON')
  .addHelpText(
    'after',
    '\nRe-running is cheap: unchanged pages (304, or the same text) and files are not embedded again, and pages that\nvanish (404, 410, or missing from a complete crawl) leave the index. Crawls honour robots.txt and a delay per host.',
  )
  .action(async (options: IngestOptions) => {
    const modes = [options.dir, options.source, options.all, options.url].filter(Boolean).length;
    if (modes !== 1) throw new Error('Give exactly one of --dir, --source, --all or --url (see cairn ingest --help)');
    if (options.baseUrl !== undefined && !options.dir)
      throw new Error('--base-url goes with --dir (a built static site); see cairn ingest --help');
    if (options.replace && !options.dir) throw new Error('--replace goes with --dir; see cairn ingest --help');
    if (options.url) checkIngestUrl(options.url);
    const config = loadConfig();
    // The lines of passages left without a context sentence (CAIRN_PASSAGE_CONTEXT=llm and a failing model).
    const runtime = await openRuntime(config, { passageContextLog: (line) => process.stderr.write(`${line}\n`) });
    // Ctrl-C (or SIGTERM) stops the run after the page or note in hand, recorded as cancelled, with what was stored kept;
    // a second one exits at once. Before, the process died with its run recorded as running for ever.
    const stop = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      if (stop.signal.aborted) process.exit(130);
      process.stderr.write(`\n${signal}: stopping after the page in hand (again to quit at once)\n`);
      stop.abort(`stopped by ${signal} on cairn ingest; what it stored stays searchable`);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const showBar = !options.json && process.stderr.isTTY;
    const bar = new SingleBar({ format: 'ingesting {bar} {value}/{total} | {item}', stream: process.stderr, hideCursor: true });
    let started = false;
    const progress = (done: number, total: number, item: string) => {
      if (!showBar) return;
      if (!started) {
        bar.start(total, 0, { item: '' });
        started = true;
      }
      bar.setTotal(Math.max(total, done));
      bar.update(done, { item: item.length > 60 ? `…${item.slice(-59)}` : item });
    };
    try {
      if (options.dir) {
        const result = await ingestDirectory(runtime.store, runtime.embedder, {
          directory: options.dir,
          sourceName: options.name,
          baseUrl: options.baseUrl,
          replace: options.replace,
          trigger: 'cli',
          passageContext: runtime.passageContext,
          onProgress: (step) => progress(step.done, step.total, step.file),
          signal: stop.signal,
        });
        if (started) bar.stop();
        const sourceName = toSourceName(options.name ?? basename(resolve(options.dir)));
        emit(Boolean(options.json), { ...result, source: sourceName }, () =>
          summary(
            result.counts,
            result.runId,
            [
              ...result.failures.map((failure) => `failed: ${failure.error}`),
              ...(result.status === 'cancelled' ? ['run cancelled: stopped before every file was read; what was stored stays'] : []),
            ],
            `into the source ${sourceName}`,
          ),
        );
        if (result.counts.failed > 0 || result.status !== 'succeeded') process.exitCode = result.status === 'cancelled' ? 130 : 1;
        return;
      }
      const { sources, created } = await webSources(runtime, options);
      const result = await runCrawl(
        { store: runtime.store, embedder: runtime.embedder, passageContext: runtime.passageContext, ...runtime.crawler },
        {
          sources,
          trigger: 'cli',
          signal: stop.signal,
          onProgress: (step) => progress(step.done, step.discovered, step.url),
          onIndexing: (vectors) => {
            if (started) bar.update({ item: `indexing ${vectors} passage vectors` });
          },
        },
      );
      if (started) bar.stop();
      const removed = created !== undefined && (await removeIfEmpty(runtime, created));
      const failures = (await runtime.store.runs.items(result.runId)).filter((item) => item.outcome === 'failed').slice(0, 10);
      emit(
        Boolean(options.json),
        { ...result, sources: sources.map((source) => source.name), ...(removed ? { removedSource: created.name } : {}) },
        () =>
          summary(result.counts, result.runId, [
            ...failures.map((item) => `failed: ${item.url}: ${item.error}`),
            ...(removed ? [`the source ${created.name} was not kept: no page was stored from ${options.url}`] : []),
            ...(result.status !== 'succeeded'
              ? [`run ${result.status}${result.error ? `: ${result.error}` : ''}`]
              : result.complete
                ? []
                : [
                    'incomplete: a page limit, a cancellation or a transient failure cut the crawl short; vanished pages were not tombstoned',
                  ]),
          ]),
      );
      if (result.counts.failed > 0 || result.status !== 'succeeded') process.exitCode = result.status === 'cancelled' ? 130 : 1;
    } finally {
      bar.stop();
      await runtime.close();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  });
