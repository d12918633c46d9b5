import { z } from 'zod';
import { abortable } from '@cairn/core';
import type { SourceWithStatistics } from '@cairn/store';
import { maxTokensArgument, type CairnTool } from '../cairn-tool.js';
import { fitWithin, tokensOf, truncationLine, withinBudget } from '../token-budget.js';
import { truncationSchema } from './shared-schemas.js';

/** Pages last crawled longer ago than this count as stale (as GET /v1/sources by default). */
export const staleAfterDays = 30;

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export const sourceSummarySchema = z.object({
  id: z.string(),
  name: z.string().describe('What the source filters of search_passages and ask_cairn take'),
  kind: z.enum(['web', 'directory']),
  url: z.string().nullable().describe('Where its pages are published (null for a directory of notes on the server)'),
  enabled: z.boolean(),
  documents: z.number().int().describe('Pages (or notes) searchable now'),
  passages: z.number().int(),
  stale: z.number().int().describe(`Pages last crawled more than ${staleAfterDays} days ago`),
  vanished: z.number().int().describe('Pages that vanished from the site and left search'),
  oldestFetch: z.string().nullable().describe('The oldest crawl of a page still searchable'),
  newestFetch: z.string().nullable(),
  lastRun: z
    .object({ id: z.string(), status: z.string(), createdAt: z.string(), finishedAt: z.string().nullable() })
    .nullable()
    .describe('Its latest ingestion run'),
  resource: z.string().describe('The MCP resource that lists its documents'),
});

export type SourceSummary = z.infer<typeof sourceSummarySchema>;

/** What anyone who may search sees of a source: what it covers and how fresh it is, not its crawl settings. */
export function sourceSummary(source: SourceWithStatistics): SourceSummary {
  return {
    id: source.id,
    name: source.name,
    kind: source.kind,
    // A directory source's base is a path on the server: not for those who may only search.
    url: source.publicBaseUrl ?? (source.kind === 'web' ? source.baseUrl : null),
    enabled: source.enabled,
    documents: source.documents,
    passages: source.chunks,
    stale: source.stale,
    vanished: source.tombstoned,
    oldestFetch: iso(source.oldestFetch),
    newestFetch: iso(source.newestFetch),
    lastRun: source.lastRun && {
      id: source.lastRun.id,
      status: source.lastRun.status,
      createdAt: iso(source.lastRun.createdAt)!,
      finishedAt: iso(source.lastRun.finishedAt),
    },
    resource: `cairn://sources/${source.name}`,
  };
}

function sourceText(source: SourceSummary): string {
  const crawled =
    source.newestFetch === null
      ? 'never crawled'
      : `crawled ${source.oldestFetch!.slice(0, 10)} to ${source.newestFetch.slice(0, 10)}, ${source.stale} stale, ${source.vanished} vanished`;
  const run = source.lastRun ? `; last run ${source.lastRun.status} (${source.lastRun.id})` : '';
  return `- ${source.name} (${source.kind}${source.enabled ? '' : ', disabled'})${source.url ? `: ${source.url}` : ''}: ${source.documents} documents, ${source.passages} passages; ${crawled}${run}`;
}

export const listSourcesInput = (maxTokens: number) => ({ maxTokens: maxTokensArgument(maxTokens) });

export const listSourcesOutput = {
  staleAfterDays: z.number().int(),
  sources: z.array(sourceSummarySchema),
  truncation: truncationSchema,
};

/** list_sources: each source with its counts and freshness. */
export const listSourcesTool = (maxTokens: number): CairnTool<ReturnType<typeof listSourcesInput>, typeof listSourcesOutput> => ({
  name: 'list_sources',
  title: 'List sources',
  description:
    "List the sources Cairn's answers and search draw on (websites and note collections), each with its name (what the source filters take), " +
    'URL, how many documents and passages are searchable, and how fresh they are (oldest and newest crawl, stale and vanished pages, last ingestion run). ' +
    'Use it to know what Cairn covers, or to name a source to search.',
  scope: 'ask',
  limit: 'request',
  inputSchema: listSourcesInput(maxTokens),
  outputSchema: listSourcesOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(_args, { services, signal, budget }) {
    const sources = (await abortable(services.store.sources.listWithStatistics(staleAfterDays), signal)).map(sourceSummary);
    return withinBudget(budget, (room) => {
      const { kept, omitted } = fitWithin(sources, room, (source) => tokensOf(sourceText(source), source));
      const truncation =
        omitted === 0
          ? null
          : {
              maxTokens: budget,
              omitted,
              what: `${omitted} of ${sources.length} sources were left out`,
              hint: 'Raise maxTokens to list them all.',
            };
      const text =
        (kept.length === 0 ? 'No sources are configured.' : `${sources.length} sources:\n${kept.map(sourceText).join('\n')}`) +
        truncationLine(truncation);
      return { text, structured: { staleAfterDays, sources: kept, truncation } };
    });
  },
});
