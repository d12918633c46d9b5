import { z } from 'zod';
import { CairnError, abortable } from '@cairn/core';
import { startIngestRun } from '@cairn/runtime';
import { maxTokensArgument, type CairnTool } from '../cairn-tool.js';
import { argumentLimits } from '../mcp-services.js';
import { fitWithin, tokensOf, truncationLine, withinBudget } from '../token-budget.js';
import { truncationSchema } from './shared-schemas.js';

const runStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

export const startIngestRunInput = {
  source: z
    .string()
    .max(64)
    .optional()
    .describe('The name of the source to crawl (list_sources shows them); omit to crawl every enabled web source'),
  url: z
    .string()
    .max(argumentLimits.urlChars)
    .optional()
    .describe('Just this page of the source, fetched now instead of a crawl (needs source)'),
};

export const startIngestRunOutput = {
  runId: z.string().describe('Pass it to get_ingest_run to follow the run'),
  status: runStatus,
  source: z.string().nullable().describe('The source crawled; null for every enabled web source'),
  url: z.string().nullable(),
};

/** start_ingest_run: queues a crawl of a source (or of all), or the fetch of one page (admin). */
export const startIngestRunTool: CairnTool<typeof startIngestRunInput, typeof startIngestRunOutput> = {
  name: 'start_ingest_run',
  title: 'Start an ingestion run (admin)',
  description:
    'Admin keys only. Start an ingestion run: crawl one source by name (new and changed pages are indexed, vanished ones leave search), ' +
    'every enabled web source when no source is given, or fetch just one page of a source (url). The run goes on in the background; ' +
    'this returns its runId at once: follow it with get_ingest_run.',
  scope: 'admin',
  limit: 'request',
  inputSchema: startIngestRunInput,
  outputSchema: startIngestRunOutput,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async run(args, { services, access, signal }) {
    const name = args.source?.trim() || undefined;
    if (args.url !== undefined && name === undefined)
      throw new CairnError('invalid_request', 'A run of one page needs the source it belongs to: give source as well as url.');
    const source = name === undefined ? undefined : await abortable(services.store.sources.findByName(name), signal);
    if (name !== undefined && !source)
      throw new CairnError('source_not_found', `No source is named ${JSON.stringify(name)}; list_sources shows them.`);
    const runId = await startIngestRun(
      { store: services.store, runner: services.runner, maxQueuedRuns: services.limits.maxQueuedRuns },
      { sourceId: source?.id, url: args.url, trigger: access.trigger },
    );
    const what = args.url ? `the page ${args.url} of ${source!.name}` : source ? `the source ${source.name}` : 'every enabled web source';
    return {
      text: `Queued an ingestion run of ${what}: runId ${runId}. Follow it with get_ingest_run.`,
      structured: { runId, status: 'queued' as const, source: source?.name ?? null, url: args.url ?? null },
    };
  },
};

const itemSchema = z.object({
  url: z.string(),
  httpStatus: z.number().int().nullable(),
  outcome: z.string().describe('changed, unchanged, skipped, failed or tombstoned'),
  chunksAdded: z.number().int(),
  chunksRemoved: z.number().int(),
  error: z.string().nullable(),
});

export const getIngestRunInput = (maxTokens: number) => ({
  runId: z.string().max(100).describe('The runId start_ingest_run returned (or list_sources shows as a last run)'),
  maxTokens: maxTokensArgument(maxTokens),
});

export const getIngestRunOutput = {
  id: z.string(),
  source: z.string().nullable().describe('The source crawled; null for every enabled web source'),
  trigger: z.string(),
  status: runStatus,
  counts: z.object({
    discovered: z.number().int(),
    fetched: z.number().int(),
    unchanged: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
    chunksAdded: z.number().int(),
    chunksRemoved: z.number().int(),
  }),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  itemCount: z.number().int().describe('Entries in the per-URL ledger'),
  items: z.array(itemSchema).describe('The per-URL ledger, failures first'),
  truncation: truncationSchema,
};

const iso = (value: Date | null) => (value === null ? null : new Date(value).toISOString());

/** get_ingest_run: a run's status, counts and per-URL ledger (admin). */
export const getIngestRunTool = (maxTokens: number): CairnTool<ReturnType<typeof getIngestRunInput>, typeof getIngestRunOutput> => ({
  name: 'get_ingest_run',
  title: 'Follow an ingestion run (admin)',
  description:
    'Admin keys only. The status of an ingestion run (queued, running, succeeded, failed, cancelled), its counts ' +
    '(pages discovered, fetched, unchanged, skipped, failed; passages added and removed), its error, and its per-URL ledger, failures first.',
  scope: 'admin',
  limit: 'request',
  inputSchema: getIngestRunInput(maxTokens),
  outputSchema: getIngestRunOutput,
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, { services, signal, budget }) {
    const { store } = services;
    const run = await abortable(store.runs.find(args.runId.trim()), signal);
    if (!run) throw new CairnError('run_not_found', `No ingestion run has the id ${JSON.stringify(args.runId)}.`);
    const [items, source] = await abortable(
      Promise.all([store.runs.items(run.id), run.sourceId ? store.sources.findById(run.sourceId) : Promise.resolve(undefined)]),
      signal,
    );
    const ledger = [...items]
      .sort((a, b) => Number(b.outcome === 'failed') - Number(a.outcome === 'failed') || a.id - b.id)
      .map((item) => ({
        url: item.url,
        httpStatus: item.httpStatus,
        outcome: item.outcome,
        chunksAdded: item.chunksAdded,
        chunksRemoved: item.chunksRemoved,
        error: item.error,
      }));
    const header = {
      id: run.id,
      source: source?.name ?? null,
      trigger: run.trigger,
      status: run.status,
      counts: run.counts,
      error: run.error,
      createdAt: iso(run.createdAt)!,
      startedAt: iso(run.startedAt),
      finishedAt: iso(run.finishedAt),
      itemCount: ledger.length,
    };
    const c = run.counts;
    const headerText =
      `Run ${run.id} of ${header.source ?? 'every enabled web source'}: ${run.status}${run.error ? ` (${run.error})` : ''}.\n` +
      `Pages: ${c.discovered} discovered, ${c.fetched} fetched, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.failed} failed; passages: ${c.chunksAdded} added, ${c.chunksRemoved} removed.`;
    const itemText = (item: (typeof ledger)[number]) =>
      `- ${item.outcome}${item.httpStatus ? ` ${item.httpStatus}` : ''}: ${item.url}${item.error ? ` (${item.error})` : ''}`;
    const headerSize = tokensOf(headerText, header);
    return withinBudget(budget, (room) => {
      const { kept, omitted } = fitWithin(ledger, room - headerSize, (item) => tokensOf(itemText(item), item));
      const truncation =
        omitted === 0
          ? null
          : {
              maxTokens: budget,
              omitted,
              what: `${omitted} of ${ledger.length} ledger entries were left out`,
              hint: 'The counts cover them all; raise maxTokens to list more, or GET /v1/ingest/runs/:id for the whole ledger.',
            };
      const text = `${headerText}${kept.length > 0 ? `\nLedger:\n${kept.map(itemText).join('\n')}` : ''}${truncationLine(truncation)}`;
      return { text, structured: { ...header, items: kept, truncation } };
    });
  },
});
