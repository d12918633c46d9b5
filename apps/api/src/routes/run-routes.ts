import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CairnError } from '@cairn/core';
import { startIngestRun } from '@cairn/runtime';
import type { RunRecord } from '@cairn/store';
import { isoDate } from './iso-date.js';
import { RunDetailResponse, RunResponse } from './run-schemas.js';
import { errorResponses } from './shared-schemas.js';

const runJson = (run: RunRecord) => ({
  ...run,
  createdAt: isoDate(run.createdAt)!,
  startedAt: isoDate(run.startedAt),
  finishedAt: isoDate(run.finishedAt),
});

/** What a run cancelled through the API records as its error. */
const cancelledReason = 'cancelled on request (POST /v1/ingest/runs/:id/cancel); the pages it stored before stay stored';

export const runRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/ingest/runs',
    {
      schema: {
        tags: ['sources'],
        summary: 'Start an ingestion run of one source, of every enabled web source, or of one page of a source',
        description:
          'With `url` (and `sourceId`, required then), the run fetches and ingests just that page of the source; otherwise it crawls.',
        body: Type.Object(
          {
            sourceId: Type.Optional(Type.String()),
            url: Type.Optional(
              Type.String({ format: 'uri', maxLength: 2048, description: 'One page of the source to fetch now, instead of a crawl' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Object({ runId: Type.String() }), ...errorResponses },
      },
      // Every field is optional, so is the body: `curl -X POST …/v1/ingest/runs` runs every enabled source.
      // No body at all, not a JSON null (which the schema refuses, as any body that is not an object).
      preValidation: async (request) => {
        if (request.body === undefined) request.body = {};
      },
    },
    async (request, reply) => {
      const { sourceId, url } = request.body;
      const { store, runner, config } = app.cairn;
      const runId = await startIngestRun({ store, runner, maxQueuedRuns: config.maxQueuedRuns }, { sourceId, url, trigger: 'api' });
      return reply.status(202).send({ runId });
    },
  );

  app.get(
    '/v1/ingest/runs',
    {
      schema: {
        tags: ['sources'],
        summary: 'Recent ingestion runs, newest first',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })) }),
        response: { 200: Type.Object({ runs: Type.Array(RunResponse) }), ...errorResponses },
      },
    },
    async (request) => ({ runs: (await app.cairn.store.runs.list(request.query.limit ?? 50)).map(runJson) }),
  );

  app.post(
    '/v1/ingest/runs/:id/cancel',
    {
      schema: {
        tags: ['sources'],
        summary: 'Cancel a queued or running ingestion run',
        description:
          'The run is recorded as `cancelled` at once and answered with: a queued run never starts; a running one stops at its next page ' +
          '(in the API process at once, in a `cairn worker` within its check interval, 2 s), and the pages it stored stay stored. ' +
          '404 `run_not_found` for an unknown id; 409 `run_finished` for a run that has ended already (succeeded, failed or cancelled).',
        params: Type.Object({ id: Type.String() }),
        response: { 200: RunResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { store, runner } = app.cairn;
      const run = await store.runs.cancel(request.params.id, cancelledReason);
      if (!run) {
        const existing = await store.runs.find(request.params.id);
        if (!existing) throw new CairnError('run_not_found', `No ingestion run has the id ${JSON.stringify(request.params.id)}.`);
        throw new CairnError(
          'run_finished',
          `The run ${existing.id} has ended already (${existing.status}${existing.finishedAt ? ` at ${isoDate(existing.finishedAt)}` : ''}); only a queued or running run can be cancelled.`,
          { details: { status: existing.status } },
        );
      }
      // The record says cancelled already: whoever runs it stops at its next check even if this fails.
      await runner
        .cancel?.(run.id)
        .catch((error: unknown) => request.log.warn({ err: error, runId: run.id }, 'could not signal the runner'));
      return runJson(run);
    },
  );

  app.get(
    '/v1/ingest/runs/:id',
    {
      schema: {
        tags: ['sources'],
        summary: 'A run with its counts and per-URL ledger',
        description:
          'The ledger comes a page at a time, in the order it was written: `limit` entries (default 1,000, at most 5,000) after the entry `after` (an entry id; `nextAfter` of the page before). `hasMore` says whether more follow.',
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 1000, description: 'Ledger entries in this page' })),
          after: Type.Optional(Type.Integer({ minimum: 0, description: 'The id of the last entry already read (`nextAfter`)' })),
        }),
        response: { 200: RunDetailResponse, ...errorResponses },
      },
    },
    async (request) => {
      const run = await app.cairn.store.runs.find(request.params.id);
      if (!run) throw new CairnError('run_not_found', `No ingestion run has the id ${JSON.stringify(request.params.id)}.`);
      const { items, hasMore } = await app.cairn.store.runs.itemsPage(run.id, {
        limit: request.query.limit ?? 1000,
        after: request.query.after,
      });
      return { ...runJson(run), items, hasMore, nextAfter: hasMore ? (items.at(-1)?.id ?? null) : null };
    },
  );
};
