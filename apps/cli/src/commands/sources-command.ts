import { Command } from 'commander';
import type { SourceWithStatistics } from '@cairn/store';
import { emit, table } from '../output.js';
import { withStore } from '../with-store.js';

/** A date as its day, or a dash. */
const day = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString().slice(0, 10) : '-');

function sourcesTable(sources: SourceWithStatistics[]): string {
  if (sources.length === 0)
    return 'No sources yet: `cairn ingest --url URL` crawls a site into one, `cairn ingest --dir PATH` reads a directory of notes.';
  return table([
    ['name', 'kind', 'pages', 'passages', 'stale', 'last fetched', 'last run', 'address'],
    ...sources.map((source) => [
      `${source.name}${source.enabled ? '' : ' (disabled)'}`,
      source.kind,
      String(source.documents),
      String(source.chunks),
      String(source.stale),
      day(source.newestFetch),
      source.lastRun ? `${source.lastRun.status} ${day(source.lastRun.createdAt)}` : '-',
      source.publicBaseUrl ?? source.baseUrl ?? '-',
    ]),
  ]);
}

export const sourcesCommand = new Command('sources')
  .description('List the sources in the index: pages, passages, pages not fetched for 30 days, the last run')
  .option('--json', 'print the sources as JSON')
  .addHelpText(
    'after',
    "\nAdd one with `cairn ingest --url URL --name NAME` or `cairn ingest --dir PATH`; crawl one again with\n`cairn ingest --source NAME`. The admin UI's Sources page and GET /v1/sources show the same.",
  )
  .action(async (options: { json?: boolean }) => {
    const sources = await withStore((store) => store.sources.listWithStatistics());
    emit(Boolean(options.json), { sources }, () => sourcesTable(sources));
  });
